package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mediacompression.media.MediaProbe.AudioStream;
import io.mediacompression.media.MediaProbe.VideoStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FfmpegCommandTest {

    private static final Path IN = Path.of("/w/job/in.mp4");
    private static final Path OUT = Path.of("/w/job/out.mp4");
    private static final Path PROGRESS = Path.of("/w/job/ffmpeg.progress");

    private final FfmpegCommand command = new FfmpegCommand(new VideoProfile(1280, 720, "veryfast", 23, 128, 2500),
            new ImageProfile(1920, 100_000_000, 4, 80));

    private static MediaProbe video(String codec, int w, int h, String pixFmt, int rotation, long bitRate, AudioStream... audio) {
        return new MediaProbe("mov,mp4", 10, bitRate,
                Optional.of(new VideoStream(0, codec, "High", w, h, pixFmt, "bt709", 1, 1, rotation, bitRate)),
                List.of(audio));
    }

    private static AudioStream aac() {
        return new AudioStream(1, "aac", 2, 128_000);
    }

    @Test
    void fits_1080p_into_1280x720_and_portrait_into_720x1280() {
        assertThat(command.video(MediaFormat.MP4, video("h264", 1920, 1080, "yuv420p", 0, 8_000_000), IN, OUT, PROGRESS))
                .extracting(FfmpegCommand.Plan::width, FfmpegCommand.Plan::height).containsExactly(1280, 720);
        assertThat(command.video(MediaFormat.MP4, video("hevc", 1080, 1920, "yuv420p", 0, 8_000_000), IN, OUT, PROGRESS))
                .extracting(FfmpegCommand.Plan::width, FfmpegCommand.Plan::height).containsExactly(720, 1280);
    }

    @Test
    void sizes_a_rotated_video_by_how_it_is_displayed() {
        FfmpegCommand.Plan plan = command.video(MediaFormat.MOV, video("hevc", 1920, 1080, "yuv420p10le", 90, 9_000_000),
                IN, OUT, PROGRESS);
        assertThat(plan.width()).isEqualTo(720);
        assertThat(plan.height()).isEqualTo(1280);
        assertThat(plan.turned()).isTrue();
    }

    @Test
    void never_upscales_and_keeps_dimensions_even() {
        FfmpegCommand.Plan small = command.video(MediaFormat.MP4, video("mpeg4", 640, 480, "yuv420p", 0, 900_000), IN, OUT, PROGRESS);
        assertThat(small.width()).isEqualTo(640);
        assertThat(small.height()).isEqualTo(480);
        FfmpegCommand.Plan odd = command.video(MediaFormat.MP4, video("h264", 641, 359, "yuv444p", 0, 900_000), IN, OUT, PROGRESS);
        assertThat(odd.width()).isEqualTo(640);
        assertThat(odd.height()).isEqualTo(358);
    }

    @Test
    void re_encodes_with_the_profile_and_passes_every_argument_separately() {
        FfmpegCommand.Plan plan = command.video(MediaFormat.MKV, video("vp9", 1920, 1080, "yuv420p", 0, 5_000_000,
                new AudioStream(1, "opus", 6, 0), new AudioStream(2, "opus", 2, 0)), IN, OUT, PROGRESS);
        assertThat(plan.remux()).isFalse();
        assertThat(plan.arguments()).containsSubsequence("-nostdin", "-progress", PROGRESS.toString(), "-i", IN.toString(),
                "-map", "0:0", "-map", "0:1", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-movflags", "+faststart", OUT.toString());
        assertThat(plan.arguments()).doesNotContain("0:2").noneMatch(a -> a.contains(" -"));
    }

    @Test
    void remuxes_compliant_h264_aac_under_the_bit_rate_limit() {
        FfmpegCommand.Plan plan = command.video(MediaFormat.MP4, video("h264", 1280, 720, "yuv420p", 0, 2_000_000, aac()),
                IN, OUT, PROGRESS);
        assertThat(plan.remux()).isTrue();
        assertThat(plan.arguments()).containsSubsequence("-c:v", "copy", "-c:a", "copy", "-movflags", "+faststart")
                .doesNotContain("libx264");
    }

    @Test
    void re_encodes_what_the_fast_path_must_not_take() {
        assertThat(remux(video("h264", 1280, 720, "yuv420p", 0, 6_000_000, aac()), MediaFormat.MP4)).as("bit rate").isFalse();
        assertThat(remux(video("h264", 1920, 1080, "yuv420p", 0, 2_000_000, aac()), MediaFormat.MP4)).as("too big").isFalse();
        assertThat(remux(video("h264", 1280, 720, "yuv420p10le", 0, 2_000_000, aac()), MediaFormat.MP4)).as("10 bit").isFalse();
        assertThat(remux(video("h264", 720, 1280, "yuv420p", 90, 2_000_000, aac()), MediaFormat.MP4)).as("rotated").isFalse();
        assertThat(remux(video("h264", 1280, 720, "yuv420p", 0, 2_000_000, new AudioStream(1, "mp3", 2, 0)), MediaFormat.MP4))
                .as("mp3").isFalse();
        assertThat(remux(video("h264", 1280, 720, "yuv420p", 0, 2_000_000, aac()), MediaFormat.AVI)).as("avi").isFalse();
    }

    @Test
    void refuses_a_file_without_video() {
        MediaProbe audioOnly = new MediaProbe("mov,mp4", 2, 128_000, Optional.empty(), List.of(aac()));
        assertThatThrownBy(() -> command.video(MediaFormat.MP4, audioOnly, IN, OUT, PROGRESS))
                .isInstanceOf(UnreadableMedia.class).hasMessage("the file has no video track");
    }

    @Test
    void turns_and_shrinks_an_image_and_drops_its_metadata() {
        MediaProbe jpeg = new MediaProbe("image2", 0, 0,
                Optional.of(new VideoStream(0, "mjpeg", "", 4000, 3000, "yuvj420p", "", 1, 1, 0, 0)), List.of());
        FfmpegCommand.Plan plan = command.image(MediaFormat.JPEG, jpeg, 6, 0, IN, OUT).orElseThrow();
        assertThat(plan.width()).isEqualTo(1440);
        assertThat(plan.height()).isEqualTo(1920);
        assertThat(plan.arguments()).containsSubsequence("-noautorotate", "-i", IN.toString(), "-map_metadata", "-1",
                "-vf", "transpose=1,scale=1440:1920:flags=lanczos", "-c:v", "mjpeg", "-q:v", "4");
    }

    @Test
    void each_quality_step_of_a_lossy_image_is_coarser_and_a_png_has_only_one() {
        MediaProbe jpeg = new MediaProbe("image2", 0, 0,
                Optional.of(new VideoStream(0, "mjpeg", "", 4000, 3000, "yuvj420p", "", 1, 1, 0, 0)), List.of());
        assertThat(java.util.stream.IntStream.range(0, 6).mapToObj(step -> command.image(MediaFormat.JPEG, jpeg, 1, step,
                IN, OUT).map(p -> p.arguments().get(p.arguments().indexOf("-q:v") + 1)).orElse("none")))
                .containsExactly("4", "6", "9", "14", "20", "none");
        MediaProbe webp = new MediaProbe("webp_pipe", 0, 0,
                Optional.of(new VideoStream(0, "webp", "", 4000, 3000, "yuv420p", "", 1, 1, 0, 0)), List.of());
        assertThat(java.util.stream.IntStream.range(0, 6).mapToObj(step -> command.image(MediaFormat.WEBP, webp, 1, step,
                IN, OUT).map(p -> p.arguments().get(p.arguments().indexOf("-quality") + 1)).orElse("none")))
                .containsExactly("80", "70", "60", "50", "40", "none");
        MediaProbe png = new MediaProbe("png_pipe", 0, 0,
                Optional.of(new VideoStream(0, "png", "", 4000, 3000, "rgb24", "", 1, 1, 0, 0)), List.of());
        assertThat(command.image(MediaFormat.PNG, png, 1, 0, IN, OUT)).isPresent();
        assertThat(command.image(MediaFormat.PNG, png, 1, 1, IN, OUT)).isEmpty();
    }

    @Test
    void refuses_an_image_that_declares_too_many_pixels() {
        MediaProbe bomb = new MediaProbe("png_pipe", 0, 0,
                Optional.of(new VideoStream(0, "png", "", 30000, 30000, "rgba", "", 1, 1, 0, 0)), List.of());
        assertThatThrownBy(() -> command.image(MediaFormat.PNG, bomb, 1, 0, IN, OUT)).isInstanceOf(UnreadableMedia.class);
    }

    private boolean remux(MediaProbe probe, MediaFormat format) {
        return command.video(format, probe, IN, OUT, PROGRESS).remux();
    }
}
