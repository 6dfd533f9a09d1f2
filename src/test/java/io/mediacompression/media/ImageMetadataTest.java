package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.Fixtures;
import io.mediacompression.support.ImageFiles;
import io.mediacompression.support.MediaInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageMetadataTest {

    @TempDir
    Path dir;

    @Test
    void reads_the_orientation_and_the_profile_of_a_jpeg() {
        assertThat(ImageMetadata.read(MediaFormat.JPEG, Fixtures.jpegWithExifOrientation(6)).orientation()).isEqualTo(6);
        ImageMetadata p3 = ImageMetadata.read(MediaFormat.JPEG, Fixtures.displayP3Jpeg());
        assertThat(p3.orientation()).isEqualTo(1);
        assertThat(ImageFiles.isDisplayP3(p3.iccProfile())).isTrue();
        assertThat(ImageMetadata.read(MediaFormat.JPEG, Fixtures.jpeg()))
                .isEqualTo(new ImageMetadata(640, 480, false, 1, Optional.empty(), false));
    }

    @Test
    void reads_the_stored_size_of_each_format_as_ffprobe_does() throws Exception {
        Path palette = dir.resolve("palette.png");
        MediaInfo.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=300x200", "-frames:v", "1", "-pix_fmt", "pal8",
                palette.toString());
        Path lossless = dir.resolve("lossless.webp");
        MediaInfo.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=301x199", "-frames:v", "1", "-c:v", "libwebp",
                "-lossless", "1", lossless.toString());
        for (Path image : new Path[] {Fixtures.jpegWithExifOrientation(6), Fixtures.pngWithAlpha(), palette,
            Fixtures.webp(), lossless, Fixtures.webpWithExifOrientation6()}) {
            MediaFormat format = MediaFormat.byFilename(image.getFileName().toString()).orElseThrow();
            ImageMetadata header = ImageMetadata.read(format, image);
            MediaInfo probe = MediaInfo.of(image);
            assertThat(header.width()).as(image.getFileName().toString()).isEqualTo(probe.width());
            assertThat(header.height()).as(image.getFileName().toString()).isEqualTo(probe.height());
            assertThat(header.palette()).as(image.getFileName().toString())
                    .isEqualTo("pal8".equals(probe.video().path("pix_fmt").asText()));
        }
        // what the bomb guard refuses before FFmpeg decodes a pixel
        assertThat(ImageMetadata.read(MediaFormat.PNG, Fixtures.pngBomb()).width()).isEqualTo(60000);
    }

    @Test
    void reads_the_orientation_of_a_png_from_its_exif_chunk_and_its_compressed_profile() {
        assertThat(ImageMetadata.read(MediaFormat.PNG, Fixtures.pngWithExifOrientation6()).orientation()).isEqualTo(6);
        assertThat(ImageFiles.isDisplayP3(ImageMetadata.read(MediaFormat.PNG, Fixtures.displayP3Png()).iccProfile())).isTrue();
    }

    @Test
    void reads_the_orientation_of_a_webp_from_its_exif_chunk_and_its_profile() {
        assertThat(ImageMetadata.read(MediaFormat.WEBP, Fixtures.webpWithExifOrientation6()).orientation()).isEqualTo(6);
        ImageMetadata p3 = ImageMetadata.read(MediaFormat.WEBP, Fixtures.displayP3Webp());
        assertThat(ImageFiles.isDisplayP3(p3.iccProfile())).isTrue();
        assertThat(p3.animated()).isFalse();
    }

    @Test
    void tells_an_animated_webp_and_an_apng_from_still_images() {
        assertThat(ImageMetadata.read(MediaFormat.WEBP, Fixtures.animatedWebp()).animated()).isTrue();
        assertThat(ImageMetadata.read(MediaFormat.PNG, Fixtures.apng()).animated()).isTrue();
        assertThat(ImageMetadata.read(MediaFormat.WEBP, Fixtures.webp()).animated()).isFalse();
        assertThat(ImageMetadata.read(MediaFormat.PNG, Fixtures.pngWithAlpha()).animated()).isFalse();
    }

    @Test
    void joins_a_profile_split_over_several_app2_segments() throws Exception {
        byte[] profile = new byte[150_000];
        new Random(7).nextBytes(profile);
        byte[] jpeg = MetadataStripper.strip(MediaFormat.JPEG, Files.readAllBytes(Fixtures.jpeg()), Optional.of(profile));
        Path file = Files.write(dir.resolve("split.jpg"), jpeg);
        assertThat(ImageMetadata.read(MediaFormat.JPEG, file).iccProfile().map(icc -> Arrays.equals(icc, profile)))
                .hasValue(true);
    }

    @Test
    void reads_what_it_can_of_a_damaged_file() throws Exception {
        for (Path image : new Path[] {Fixtures.jpegWithExifOrientation(6), Fixtures.pngWithExifOrientation6(),
            Fixtures.webpWithExifOrientation6()}) {
            byte[] bytes = Files.readAllBytes(image);
            Path cut = Files.write(dir.resolve("cut-" + image.getFileName()), Arrays.copyOf(bytes, 40));
            MediaFormat format = MediaFormat.byFilename(image.getFileName().toString()).orElseThrow();
            assertThat(ImageMetadata.read(format, cut).animated()).isFalse();
        }
        assertThat(ImageMetadata.read(MediaFormat.PNG, Files.write(dir.resolve("empty.png"), new byte[0])))
                .isEqualTo(ImageMetadata.NONE);
    }
}
