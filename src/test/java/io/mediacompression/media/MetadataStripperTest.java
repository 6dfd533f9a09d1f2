package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.Fixtures;
import io.mediacompression.support.ImageFiles;
import io.mediacompression.support.MediaInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStripperTest {

    private static final byte[] P3 = ImageFiles.displayP3Profile();

    @TempDir
    Path dir;

    @Test
    void drops_exif_gps_and_a_multi_picture_trailer_from_a_jpeg_and_keeps_the_picture() throws Exception {
        Path input = Fixtures.jpegWithMpfTrailer();
        Path out = write("out.jpg", MetadataStripper.strip(MediaFormat.JPEG, Files.readAllBytes(input), Optional.empty()));
        ImageFiles.assertNoExifOrGps(out);
        byte[] bytes = Files.readAllBytes(out);
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("MPF\0");
        assertThat(Arrays.copyOfRange(bytes, bytes.length - 2, bytes.length)).containsExactly(0xFF, 0xD9);
        assertThat(MediaInfo.ssim(input, out)).isEqualTo(1.0);
    }

    @Test
    void keeps_the_icc_profile_of_a_jpeg_and_drops_its_exif() throws Exception {
        Path input = Fixtures.displayP3Jpeg();
        Path out = write("out.jpg", MetadataStripper.strip(MediaFormat.JPEG, Files.readAllBytes(input), Optional.empty()));
        ImageFiles.assertNoExifOrGps(out);
        assertThat(ImageFiles.isDisplayP3(ImageMetadata.read(MediaFormat.JPEG, out).iccProfile())).isTrue();
        assertThat(MediaInfo.ssim(input, out)).isEqualTo(1.0);
    }

    @Test
    void gives_each_format_the_upload_profile_when_the_encoder_left_it_out() throws Exception {
        for (String ext : new String[] {"jpg", "png", "webp"}) {
            Path plain = dir.resolve("plain." + ext);
            MediaInfo.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240", "-frames:v", "1", plain.toString());
            MediaFormat format = MediaFormat.byFilename(plain.toString()).orElseThrow();
            Path out = write("out." + ext, MetadataStripper.strip(format, Files.readAllBytes(plain), Optional.of(P3)));
            assertThat(ImageFiles.isDisplayP3(ImageMetadata.read(format, out).iccProfile())).as(ext).isTrue();
            // FFmpeg, another reader, decodes the result to the same picture and sees the profile
            assertThat(MediaInfo.ssim(plain, out)).as(ext).isEqualTo(1.0);
            assertThat(MediaInfo.of(out).iccProfileSize()).as(ext).isEqualTo(P3.length);
        }
    }

    @Test
    void drops_exif_text_and_time_chunks_from_a_png_and_everything_after_iend() throws Exception {
        byte[] png = Files.readAllBytes(Fixtures.pngWithExifOrientation6());
        for (String[] chunk : new String[][] {{"tEXt", "Comment\0secret place"}, {"iTXt", "XML:com.adobe.xmp\0\0\0\0\0secret xmp"},
            {"zTXt", "Raw profile type exif\0\0x"}, {"tIME", "\7\352\1\1\0\0\0"}}) {
            png = ImageFiles.pngWithChunk(png, chunk[0], chunk[1].getBytes(StandardCharsets.ISO_8859_1));
        }
        png = Arrays.copyOf(png, png.length + 11);
        System.arraycopy("secret tail".getBytes(StandardCharsets.ISO_8859_1), 0, png, png.length - 11, 11);
        Path input = write("in.png", png);
        Path out = write("out.png", MetadataStripper.strip(MediaFormat.PNG, png, Optional.empty()));
        ImageFiles.assertNoExifOrGps(out);
        assertThat(new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1))
                .doesNotContain("secret", "eXIf", "tEXt", "iTXt", "zTXt", "tIME");
        assertThat(MediaInfo.ssim(input, out)).isEqualTo(1.0);
    }

    @Test
    void drops_exif_and_xmp_chunks_from_a_webp_and_keeps_its_profile() throws Exception {
        byte[] simple = Files.readAllBytes(Fixtures.webp());
        byte[] tagged = ImageFiles.webpExtended(simple, 2560, 1440, "ICCP", P3, "EXIF", ImageFiles.exifTiff(1),
                "XMP ", "<x:xmpmeta>secret xmp</x:xmpmeta>".getBytes(StandardCharsets.US_ASCII));
        Path input = write("tagged.webp", tagged);
        assertThat(MediaInfo.of(input).width()).isEqualTo(2560);
        Path out = write("out.webp", MetadataStripper.strip(MediaFormat.WEBP, tagged, Optional.empty()));
        ImageFiles.assertNoExifOrGps(out);
        assertThat(new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1)).doesNotContain("secret", "XMP ", "EXIF");
        assertThat(ImageFiles.isDisplayP3(ImageMetadata.read(MediaFormat.WEBP, out).iccProfile())).isTrue();
        assertThat(MediaInfo.ssim(Fixtures.webp(), out)).isEqualTo(1.0);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }
}
