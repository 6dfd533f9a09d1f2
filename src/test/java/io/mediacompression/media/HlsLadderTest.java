package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.HlsCheck;
import io.mediacompression.support.MediaInfo;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HLS ladder end to end with local delivery: the real application, real FFmpeg, the package read back from
 * OUTPUT_DIR as a player and a validator would. One-second segments so that two-second clips have two of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HlsLadderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application()
            .with("jobs.workers", "1")
            .with("media.hls.segment-seconds", "1");

    @TempDir
    static Path root;

    private RunningService service;

    @AfterEach
    void nothing_is_left_in_the_work_dir() throws Exception {
        assertThat(service.filesLeftInWorkDir()).isEmpty();
    }

    @Test
    void a_480p_upload_gets_the_480_and_360_rungs_only_with_a_complete_master_playlist() throws Exception {
        HttpResponse<String> answer = service.upload(RunningService.KEY, Fixtures.small480p(), "lecture.mp4",
                "media_id", "hls-480", "outputs", "hls");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode status = AwaitJob.finished(service, "hls-480");
        assertThat(status.path("status").asText()).isEqualTo("completed");

        Path folder = service.outputDir().resolve("videos");
        String hlsPath = status.path("hlsPath").asText();
        assertThat(hlsPath).matches(java.util.regex.Pattern.quote(folder.toString()) + "/" + UUID + "/master\\.m3u8");
        // hls alone: filePath is the master playlist, no MP4 was made
        assertThat(status.path("filePath").asText()).isEqualTo(hlsPath);
        Path master = Path.of(hlsPath);
        Path pkg = master.getParent();
        assertThat(status.path("posterPath").asText()).isEqualTo(pkg.resolve("poster.jpg").toString());
        assertThat(status.path("storyboardPath").asText()).isEqualTo(pkg.resolve("storyboard.vtt").toString());
        try (var files = Files.list(folder)) {
            // the folder was renamed into place whole: nothing under a temporary name
            assertThat(files.map(f -> f.getFileName().toString()).toList()).contains(pkg.getFileName().toString())
                    .noneMatch(f -> f.endsWith(".part"));
        }

        List<HlsCheck.Variant> variants = HlsCheck.variants(master);
        assertThat(variants).extracting(v -> v.attributes().get("RESOLUTION")).containsExactly("640x480", "480x360");
        assertThat(variants).extracting(HlsCheck.Variant::uri).containsExactly("480p/index.m3u8", "360p/index.m3u8");
        assertThat(status.path("renditions").toString()).isEqualTo("[{\"width\":640,\"height\":480,\"bandwidth\":"
                + variants.get(0).attributes().get("BANDWIDTH") + "},{\"width\":480,\"height\":360,\"bandwidth\":"
                + variants.get(1).attributes().get("BANDWIDTH") + "}]");

        List<String> masterLines = HlsCheck.lines(master);
        assertThat(masterLines).startsWith("#EXTM3U").contains("#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS");
        String media = masterLines.stream().filter(l -> l.startsWith("#EXT-X-MEDIA:")).findFirst().orElseThrow();
        assertThat(HlsCheck.attributes(media)).containsEntry("TYPE", "AUDIO").containsEntry("GROUP-ID", "audio")
                .containsEntry("URI", "audio/index.m3u8").containsEntry("CHANNELS", "1");

        HlsCheck.Media audio = HlsCheck.media(pkg.resolve("audio/index.m3u8"));
        List<List<Double>> keyframes = new ArrayList<>();
        List<List<Double>> boundaries = new ArrayList<>();
        for (HlsCheck.Variant v : variants) {
            Map<String, String> a = v.attributes();
            HlsCheck.Media rung = HlsCheck.media(pkg.resolve(v.uri()));
            assertThat(rung.lines()).contains("#EXT-X-VERSION:7", "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST");
            assertThat(rung.map()).isNotNull();
            assertThat(rung.segments()).hasSize(2).allMatch(s -> s.matches("segment-\\d{5}\\.m4s"));
            assertThat(rung.durations()).allMatch(d -> Math.round(d) <= rung.targetDuration());

            Path joined = HlsCheck.joined(rung, root.resolve(v.uri().replace('/', '-') + ".mp4"));
            // every rung decodes completely: every frame of the two-second, 30 fps source, no error
            assertThat(HlsCheck.decodeErrors(joined)).isEmpty();
            double[] frames = HlsCheck.framesAndDuration(joined, "v");
            assertThat(frames[0]).isEqualTo(60);
            assertThat(rung.duration()).isCloseTo(2.0, within(0.1));
            MediaInfo info = MediaInfo.of(joined);
            assertThat(info.width() + "x" + info.height()).isEqualTo(a.get("RESOLUTION"));
            String profile = String.format("avc1.%02x%02x%02x", 100, 0, info.video().path("level").asInt());
            assertThat(a.get("CODECS")).isEqualTo(profile + ",mp4a.40.2");
            assertThat(a.get("FRAME-RATE")).isEqualTo("30.000");
            assertThat(a.get("AUDIO")).isEqualTo("audio");

            // BANDWIDTH is the peak segment bit rate of video and audio together, AVERAGE-BANDWIDTH the average
            long peak = 0;
            for (int i = 0; i < rung.segments().size(); i++) {
                long bits = 8 * Files.size(pkg.resolve(v.uri()).resolveSibling(rung.segments().get(i)));
                peak = Math.max(peak, (long) Math.ceil(bits / rung.durations().get(i)));
            }
            long audioPeak = 0;
            for (int i = 0; i < audio.segments().size(); i++) {
                long bits = 8 * Files.size(pkg.resolve("audio").resolve(audio.segments().get(i)));
                audioPeak = Math.max(audioPeak, (long) Math.ceil(bits / audio.durations().get(i)));
            }
            assertThat(Long.parseLong(a.get("BANDWIDTH"))).isEqualTo(peak + audioPeak);
            assertThat(Long.parseLong(a.get("AVERAGE-BANDWIDTH"))).isPositive().isLessThanOrEqualTo(peak + audioPeak);

            keyframes.add(HlsCheck.keyframeTimes(joined));
            boundaries.add(rung.durations());
        }
        // keyframes aligned: every rung has its keyframes at the same times, and its segments cut at the same times
        // (times as the MP4 shows them: shifted by the decoder delay of the B-frames, the same in every rung)
        double first = keyframes.get(0).get(0);
        assertThat(keyframes.get(0)).extracting(t -> Math.round((t - first) * 1000) / 1000.0).containsExactly(0.0, 1.0);
        assertThat(keyframes).allSatisfy(k -> assertThat(k).isEqualTo(keyframes.get(0)));
        assertThat(boundaries).allSatisfy(b -> assertThat(b).isEqualTo(boundaries.get(0)));

        Path joinedAudio = HlsCheck.joined(audio, root.resolve("audio.mp4"));
        assertThat(HlsCheck.decodeErrors(joinedAudio)).isEmpty();
        assertThat(HlsCheck.framesAndDuration(joinedAudio, "a")[1]).isCloseTo(2.0, within(0.1));

        // poster: a JPEG no wider than 1280; storyboard: a sprite and WebVTT cues pointing into it
        MediaInfo poster = MediaInfo.of(pkg.resolve("poster.jpg"));
        assertThat(poster.video().path("codec_name").asText()).isEqualTo("mjpeg");
        assertThat(poster.width()).isEqualTo(640);
        MediaInfo sprite = MediaInfo.of(pkg.resolve("storyboard.jpg"));
        List<String> vtt = HlsCheck.lines(pkg.resolve("storyboard.vtt"));
        assertThat(vtt.get(0)).isEqualTo("WEBVTT");
        List<String> cues = vtt.stream().filter(l -> l.startsWith("storyboard.jpg#xywh=")).toList();
        assertThat(cues).containsExactly("storyboard.jpg#xywh=0,0,160,120", "storyboard.jpg#xywh=160,0,160,120");
        assertThat(vtt).contains("00:00:00.000 --> 00:00:01.000", "00:00:01.000 --> 00:00:02.000");
        assertThat(sprite.width()).isEqualTo(320);
        assertThat(sprite.height()).isEqualTo(120);
    }

    @Test
    void a_portrait_upload_is_laddered_by_its_short_side_and_gets_its_mp4_from_the_same_run() throws Exception {
        Path portrait = root.resolve("portrait-480x854.mp4");
        MediaInfo.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=480x854:r=30:d=2", "-f", "lavfi", "-i", "sine=f=440:d=2",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                portrait.toString());
        HttpResponse<String> answer = service.upload(RunningService.KEY, portrait, "phone.mp4",
                "media_id", "hls-portrait", "outputs", "mp4,hls");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode status = AwaitJob.finished(service, "hls-portrait");
        assertThat(status.path("status").asText()).isEqualTo("completed");

        assertThat(status.path("renditions")).extracting(r -> r.path("width").asInt() + "x" + r.path("height").asInt())
                .containsExactly("480x854", "360x640");
        Path master = Path.of(status.path("hlsPath").asText());
        assertThat(HlsCheck.variants(master)).extracting(v -> v.attributes().get("RESOLUTION"))
                .containsExactly("480x854", "360x640");
        // the MP4 stays <uuid>.mp4 beside the package folder, and is filePath
        String filePath = status.path("filePath").asText();
        assertThat(filePath).matches(".*/videos/" + UUID + "\\.mp4");
        MediaInfo mp4 = MediaInfo.of(Path.of(filePath));
        assertThat(mp4.width()).isEqualTo(480);
        assertThat(mp4.height()).isEqualTo(854);
        assertThat(mp4.faststart()).isTrue();
        assertThat(mp4.duration()).isCloseTo(2.0, within(0.1));
        assertThat(mp4.streams("audio")).hasSize(1);
    }

    @Test
    void a_source_below_the_smallest_rung_gets_one_rung_at_its_own_size_and_a_poster_that_is_not_its_black_start()
            throws Exception {
        // one second of black, then two of picture, 320x240: smaller than the smallest rung (360)
        Path clip = root.resolve("black-start-320x240.mp4");
        MediaInfo.ffmpeg("-f", "lavfi", "-i", "color=c=black:s=320x240:r=30:d=1", "-f", "lavfi",
                "-i", "testsrc2=s=320x240:r=30:d=2", "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip.toString());
        assertThat(service.upload(RunningService.KEY, clip, "tiny.mp4", "media_id", "hls-tiny", "outputs", "hls")
                .statusCode()).isEqualTo(200);
        JsonNode status = AwaitJob.finished(service, "hls-tiny");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(status.path("renditions")).extracting(r -> r.path("width").asInt() + "x" + r.path("height").asInt())
                .containsExactly("320x240");
        Path pkg = Path.of(status.path("hlsPath").asText()).getParent();
        List<HlsCheck.Variant> variants = HlsCheck.variants(pkg.resolve("master.m3u8"));
        assertThat(variants).singleElement().satisfies(v -> {
            assertThat(v.uri()).isEqualTo("240p/index.m3u8");
            // no audio track in the upload: no audio group, the codec list holds only the video
            assertThat(v.attributes()).doesNotContainKey("AUDIO");
            assertThat(v.attributes().get("CODECS")).matches("avc1\\.[0-9a-f]{6}");
        });
        assertThat(HlsCheck.lines(pkg.resolve("master.m3u8"))).noneMatch(l -> l.startsWith("#EXT-X-MEDIA"));

        // the poster is a frame with picture in it, not the black first frame
        assertThat(averageLuma(pkg.resolve("poster.jpg"))).isGreaterThan(40);
        assertThat(averageLuma(clipFirstFrame(clip))).isLessThan(20);
        assertThat(HlsCheck.lines(pkg.resolve("storyboard.vtt"))).filteredOn(l -> l.startsWith("storyboard.jpg#"))
                .containsExactly("storyboard.jpg#xywh=0,0,160,120", "storyboard.jpg#xywh=160,0,160,120",
                        "storyboard.jpg#xywh=320,0,160,120");
    }

    private Path clipFirstFrame(Path clip) {
        Path first = root.resolve("first-frame.png");
        MediaInfo.ffmpeg("-i", clip.toString(), "-frames:v", "1", first.toString());
        return first;
    }

    /** The mean luma (0-255) of a picture: FFmpeg shrinks it to one grey pixel. */
    private int averageLuma(Path picture) throws Exception {
        Path pixel = root.resolve("pixel-" + System.nanoTime() + ".gray");
        MediaInfo.ffmpeg("-i", picture.toString(), "-vf", "scale=1:1:flags=area", "-f", "rawvideo", "-pix_fmt", "gray",
                pixel.toString());
        return Files.readAllBytes(pixel)[0] & 0xff;
    }

    @Test
    void refuses_an_outputs_field_that_is_not_mp4_or_hls() throws Exception {
        HttpResponse<String> answer = service.upload(RunningService.KEY, Fixtures.small480p(), "lecture.mp4",
                "media_id", "hls-bad", "outputs", "mp4,dash");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("error").asText()).isEqualTo("Invalid outputs");
        assertThat(service.statusOf("hls-bad")).isEqualTo("not_found");
        assertThat(service.stagedUploads()).isEmpty();
    }
}
