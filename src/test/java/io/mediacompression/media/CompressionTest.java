package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.ImageFiles;
import io.mediacompression.support.MediaInfo;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Uploads real media to the running service and checks with ffprobe what it delivered to OUTPUT_DIR. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompressionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application().with("jobs.workers", "1");

    @TempDir
    static Path root;

    private RunningService service;

    @AfterEach
    void work_dir_is_empty_after_every_job() throws Exception {
        assertThat(service.filesLeftInWorkDir()).isEmpty();
    }

    @Test
    void compresses_landscape_1080p_to_720p_h264_aac_with_faststart() throws Exception {
        MediaInfo out = compressVideo(Fixtures.landscape1080p(), "clip.mp4");
        assertThat(out.width()).isEqualTo(1280);
        assertThat(out.height()).isEqualTo(720);
        assertThat(out.streams("audio")).singleElement().satisfies(a -> {
            assertThat(a.path("codec_name").asText()).isEqualTo("aac");
            assertThat(a.path("bit_rate").asLong()).isBetween(96_000L, 160_000L);
        });
        assertThat(out.duration()).isCloseTo(2.0, within(0.15));
    }

    @Test
    void fits_a_portrait_video_into_720x1280() throws Exception {
        MediaInfo out = compressVideo(Fixtures.portrait(), "portrait.MP4");
        assertThat(out.width()).isEqualTo(720);
        assertThat(out.height()).isEqualTo(1280);
    }

    @Test
    void turns_a_video_with_a_rotation_flag_upright() throws Exception {
        Path input = Fixtures.portraitRotationFlag();
        MediaInfo out = compressVideo(input, "phone.mov");
        assertThat(out.width()).isEqualTo(720);
        assertThat(out.height()).isEqualTo(1280);
        assertThat(out.rotation()).isZero();
        // the pixels are those of the source turned the way its flag says (90 degrees counter-clockwise)
        // (raw y4m: it cannot carry a rotation flag that would turn the expected pictures again)
        Path expected = root.resolve("expected-" + UUID.randomUUID() + ".y4m");
        MediaInfo.ffmpeg("-noautorotate", "-i", input.toString(), "-vf", "transpose=2,scale=720:1280", "-an",
                "-frames:v", "10", expected.toString());
        assertThat(MediaInfo.ssim(lastOutput, expected)).isGreaterThan(0.9);
    }

    @Test
    void compresses_hevc_from_a_mov() throws Exception {
        MediaInfo out = compressVideo(Fixtures.hevcMov(), "iphone.MOV");
        assertThat(out.width()).isEqualTo(1280);
        assertThat(out.streams("audio")).hasSize(1);
    }

    @Test
    void keeps_only_the_first_of_two_audio_tracks_of_a_vp9_mkv_as_stereo_aac() throws Exception {
        MediaInfo out = compressVideo(Fixtures.vp9MkvTwoAudioTracks(), "lecture.mkv");
        assertThat(out.width()).isEqualTo(854 - 854 % 2);
        assertThat(out.streams("audio")).singleElement().satisfies(a -> {
            assertThat(a.path("codec_name").asText()).isEqualTo("aac");
            assertThat(a.path("channels").asInt()).isEqualTo(2);
        });
    }

    @Test
    void a_video_without_audio_comes_out_without_audio() throws Exception {
        MediaInfo out = compressVideo(Fixtures.noAudio(), "silent.mp4");
        assertThat(out.streams("audio")).isEmpty();
    }

    @Test
    void never_upscales_a_480p_video() throws Exception {
        MediaInfo out = compressVideo(Fixtures.small480p(), "small.mp4");
        assertThat(out.width()).isEqualTo(640);
        assertThat(out.height()).isEqualTo(480);
    }

    @Test
    void makes_odd_dimensions_even_and_444_into_420() throws Exception {
        MediaInfo out = compressVideo(Fixtures.oddDimensions(), "odd.mp4");
        assertThat(out.width() % 2).isZero();
        assertThat(out.height() % 2).isZero();
        assertThat(out.width()).isBetween(638, 641);
    }

    @Test
    void turns_10_bit_video_into_8_bit_yuv420p() throws Exception {
        MediaInfo out = compressVideo(Fixtures.tenBit(), "hdr.mkv");
        assertThat(out.video().path("profile").asText()).isEqualTo("High");
    }

    @Test
    void tone_maps_hlg_hdr_video_to_sdr_bt709() throws Exception {
        MediaInfo out = compressVideo(Fixtures.hdrHlg(), "hdr.mp4");
        assertThat(out.video().path("color_transfer").asText()).isEqualTo("bt709");
        assertThat(out.video().path("color_primaries").asText()).isNotEqualTo("bt2020");
    }

    @Test
    void remuxes_a_compliant_720p_file_without_re_encoding() throws Exception {
        Path input = Fixtures.compliant720p();
        MediaInfo out = compressVideo(input, "ready.mp4");
        MediaInfo in = MediaInfo.of(input);
        // a stream copy keeps the encoder's exact bit rate and frame count; only the box order changes
        assertThat(out.video().path("nb_frames").asText()).isEqualTo(in.video().path("nb_frames").asText());
        assertThat(out.video().path("bit_rate").asLong()).isCloseTo(in.video().path("bit_rate").asLong(), within(2000L));
        assertThat(in.faststart()).isFalse();
    }

    @Test
    void fails_a_truncated_video_with_a_short_reason() throws Exception {
        JsonNode status = uploadAndAwait(Fixtures.truncatedVideo(), "cut.mp4");
        assertThat(status.path("status").asText()).startsWith("failed: ").doesNotContain("/", "Exception", "ffmpeg");
    }

    @Test
    void fails_an_audio_only_mp4_as_having_no_video() throws Exception {
        JsonNode status = uploadAndAwait(Fixtures.audioOnlyMp4(), "podcast.mp4");
        assertThat(status.path("status").asText()).isEqualTo("failed: the file has no video track");
    }

    @Test
    void turns_a_jpeg_by_its_exif_orientation_and_drops_exif_and_gps() throws Exception {
        Path input = Fixtures.jpegWithExifOrientation(6);
        JsonNode status = uploadAndAwait(input, "phone.jpg");
        Path output = deliveredImage(status);
        MediaInfo out = MediaInfo.of(output);
        assertThat(out.video().path("codec_name").asText()).isEqualTo("mjpeg");
        // stored 3000x2000 landscape, displayed portrait: shrunk to 1920 on the long side
        assertThat(out.width()).isEqualTo(1280);
        assertThat(out.height()).isEqualTo(1920);
        assertThat(new String(Files.readAllBytes(output), StandardCharsets.ISO_8859_1))
                .doesNotContain("Exif", Fixtures.GPS_MARKER);
        assertThat(out.firstFrameTags().map(t -> t.has("Orientation")).orElse(false)).isFalse();
        Path expected = root.resolve("expected-" + UUID.randomUUID() + ".png");
        MediaInfo.ffmpeg("-noautorotate", "-i", input.toString(), "-vf", "transpose=1,scale=1280:1920", expected.toString());
        assertThat(MediaInfo.ssim(output, expected)).isGreaterThan(0.9);
    }

    @Test
    void keeps_png_transparency_and_shrinks_to_the_maximum_side() throws Exception {
        Path input = Fixtures.pngWithAlpha();
        Path output = deliveredImage(uploadAndAwait(input, "diagram.png"));
        MediaInfo out = MediaInfo.of(output);
        assertThat(out.video().path("codec_name").asText()).isEqualTo("png");
        assertThat(out.video().path("pix_fmt").asText()).isEqualTo("rgba");
        assertThat(out.width()).isEqualTo(1920);
        assertThat(out.height()).isEqualTo(1280);
        assertThat(Files.size(output)).isLessThan(Files.size(input));
    }

    @Test
    void recompresses_webp_as_webp() throws Exception {
        Path input = Fixtures.webp();
        Path output = deliveredImage(uploadAndAwait(input, "banner.webp"));
        MediaInfo out = MediaInfo.of(output);
        assertThat(out.video().path("codec_name").asText()).isEqualTo("webp");
        assertThat(out.width()).isEqualTo(1920);
        assertThat(out.height()).isEqualTo(1080);
        assertThat(output.getFileName().toString()).endsWith(".webp");
    }

    @Test
    void never_delivers_an_image_larger_than_the_upload() throws Exception {
        Path input = Fixtures.tinyJpegWithExif();
        Path output = deliveredImage(uploadAndAwait(input, "tiny.jpeg"));
        assertThat(Files.size(output)).isLessThan(Files.size(input));
        assertThat(new String(Files.readAllBytes(output), StandardCharsets.ISO_8859_1)).doesNotContain(Fixtures.GPS_MARKER);
        assertThat(MediaInfo.of(output).width()).isEqualTo(320);
    }

    @Test
    void shrinks_a_noisy_low_quality_jpeg_to_the_maximum_side_even_when_re_encoding_would_grow_it() throws Exception {
        Path input = Fixtures.noisyLowQualityJpeg();
        Path output = deliveredImage(uploadAndAwait(input, "noisy.jpg"));
        MediaInfo out = MediaInfo.of(output);
        assertThat(out.width()).isEqualTo(1920);
        assertThat(out.height()).isEqualTo(1440);
        assertThat(Files.size(output)).isLessThanOrEqualTo(Files.size(input));
    }

    @Test
    void drops_a_multi_picture_trailer_and_its_gps_from_a_phone_jpeg() throws Exception {
        Path input = Fixtures.jpegWithMpfTrailer();
        Path output = deliveredImage(uploadAndAwait(input, "phone.jpg"));
        assertThat(new String(Files.readAllBytes(output), StandardCharsets.ISO_8859_1)).doesNotContain("MPF\0");
        assertThat(MediaInfo.of(output).width()).isEqualTo(320);
        assertThat(Files.size(output)).isLessThan(Files.size(input));
    }

    @Test
    void turns_a_png_by_the_orientation_of_its_exif_chunk() throws Exception {
        Path input = Fixtures.pngWithExifOrientation6();
        Path output = deliveredImage(uploadAndAwait(input, "scan.png"));
        assertTurnedByOrientation6(input, output);
    }

    @Test
    void turns_a_webp_by_the_orientation_of_its_exif_chunk() throws Exception {
        Path input = Fixtures.webpWithExifOrientation6();
        Path output = deliveredImage(uploadAndAwait(input, "photo.webp"));
        assertTurnedByOrientation6(input, output);
    }

    @Test
    void keeps_the_display_p3_profile_of_a_jpeg_a_png_and_a_webp() throws Exception {
        byte[] p3 = ImageFiles.displayP3Profile();
        for (Path input : List.of(Fixtures.displayP3Jpeg(), Fixtures.displayP3Png(), Fixtures.displayP3Webp())) {
            String name = input.getFileName().toString();
            Path output = deliveredImage(uploadAndAwait(input, name));
            MediaInfo out = MediaInfo.of(output);
            assertThat(out.width()).as(name).isEqualTo(1920);
            assertThat(out.iccProfileSize()).as(name).isEqualTo(p3.length);
            MediaFormat format = MediaFormat.byFilename(name).orElseThrow();
            assertThat(ImageFiles.isDisplayP3(ImageMetadata.read(format, output).iccProfile())).as(name).isTrue();
        }
    }

    @Test
    void refuses_an_animated_webp_and_an_apng_with_400() throws Exception {
        for (Path input : List.of(Fixtures.animatedWebp(), Fixtures.apng())) {
            String mediaId = "m" + IDS.incrementAndGet();
            HttpResponse<String> answer = service.upload(RunningService.KEY, input, input.getFileName().toString(),
                    "media_id", mediaId);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).path("message").asText()).isEqualTo("Animated images are not supported");
            assertThat(service.statusOf(mediaId)).isEqualTo("not_found");
        }
    }

    @Test
    void fails_a_png_that_declares_60000x60000_pixels_and_keeps_serving() throws Exception {
        JsonNode status = uploadAndAwait(Fixtures.pngBomb(), "bomb.png");
        assertThat(status.path("status").asText()).startsWith("failed: ");
        MediaInfo out = MediaInfo.of(delivered(uploadAndAwait(Fixtures.jpeg(), "after.jpg")));
        assertThat(out.width()).isEqualTo(640);
    }

    // ---------------------------------------------------------------------------------------------------------

    private Path lastOutput;

    private MediaInfo compressVideo(Path input, String filename) throws Exception {
        JsonNode status = uploadAndAwait(input, filename);
        Path output = delivered(status);
        assertThat(output.getFileName().toString()).matches("[0-9a-f-]{36}\\.mp4");
        assertThat(output.getParent().getFileName().toString()).isEqualTo("videos");
        MediaInfo out = MediaInfo.of(output);
        assertThat(out.formatName()).contains("mp4");
        assertThat(out.video().path("codec_name").asText()).isEqualTo("h264");
        assertThat(out.video().path("pix_fmt").asText()).isEqualTo("yuv420p");
        assertThat(out.faststart()).as("moov before mdat").isTrue();
        lastOutput = output;
        return out;
    }

    /** An image delivered without a byte of EXIF, GPS or orientation left. */
    private Path deliveredImage(JsonNode status) {
        Path output = delivered(status);
        ImageFiles.assertNoExifOrGps(output);
        return output;
    }

    // stored 600x400 landscape, orientation 6: displayed 400x600, turned 90 degrees clockwise
    private void assertTurnedByOrientation6(Path input, Path output) {
        MediaInfo out = MediaInfo.of(output);
        assertThat(out.width()).isEqualTo(400);
        assertThat(out.height()).isEqualTo(600);
        Path expected = root.resolve("expected-" + UUID.randomUUID() + ".png");
        MediaInfo.ffmpeg("-i", input.toString(), "-vf", "transpose=1", expected.toString());
        assertThat(MediaInfo.ssim(output, expected)).isGreaterThan(0.9);
    }

    private Path delivered(JsonNode status) {
        assertThat(status.path("status").asText()).isEqualTo("completed");
        Path output = Path.of(status.path("filePath").asText());
        assertThat(output).isRegularFile();
        return output;
    }

    private JsonNode uploadAndAwait(Path input, String filename) throws Exception {
        String mediaId = "m" + IDS.incrementAndGet();
        HttpResponse<String> accepted = service.upload(RunningService.KEY, input, filename, "media_id", mediaId);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        return service.awaitStatus(mediaId, s -> !s.path("status").asText().matches("queued|processing"),
                "a finished job", Duration.ofSeconds(90));
    }
}
