package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.Fixtures;
import io.mediacompression.support.MediaInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStripperTest {

    @TempDir
    Path dir;

    @Test
    void drops_exif_and_gps_from_a_jpeg_and_keeps_the_picture() throws Exception {
        Path input = Fixtures.jpegWithExifOrientation(1);
        byte[] stripped = MetadataStripper.strip(MediaFormat.JPEG, Files.readAllBytes(input), 1);
        assertThat(new String(stripped, StandardCharsets.ISO_8859_1)).doesNotContain("Exif", Fixtures.GPS_MARKER);
        Path out = Files.write(dir.resolve("out.jpg"), stripped);
        assertThat(MediaInfo.ssim(input, out)).isEqualTo(1.0);
    }

    @Test
    void keeps_only_the_orientation_of_a_turned_jpeg() throws Exception {
        byte[] original = Files.readAllBytes(Fixtures.jpegWithExifOrientation(6));
        byte[] stripped = MetadataStripper.strip(MediaFormat.JPEG, original, 6);
        assertThat(ExifOrientation.of(stripped)).isEqualTo(6);
        assertThat(new String(stripped, StandardCharsets.ISO_8859_1)).doesNotContain(Fixtures.GPS_MARKER);
        assertThat(stripped.length).isLessThan(original.length);
    }

    @Test
    void drops_text_chunks_from_a_png() throws Exception {
        Path plain = dir.resolve("plain.png");
        MediaInfo.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=64x64", "-frames:v", "1", plain.toString());
        Path input = Files.write(dir.resolve("in.png"), withTextChunk(Files.readAllBytes(plain), "Comment\0secret place"));
        assertThat(MediaInfo.of(input).width()).isEqualTo(64);
        assertThat(new String(Files.readAllBytes(input), StandardCharsets.ISO_8859_1)).contains("secret place");
        byte[] stripped = MetadataStripper.strip(MediaFormat.PNG, Files.readAllBytes(input), 1);
        assertThat(new String(stripped, StandardCharsets.ISO_8859_1)).doesNotContain("secret place");
        assertThat(MediaInfo.ssim(input, Files.write(dir.resolve("out.png"), stripped))).isEqualTo(1.0);
    }

    @Test
    void drops_exif_and_xmp_chunks_from_a_webp() throws Exception {
        byte[] webp = Files.readAllBytes(Fixtures.webp());
        byte[] withExif = withExifChunk(webp, 2560, 1440, "GPS here".getBytes(StandardCharsets.US_ASCII));
        Path tagged = Files.write(dir.resolve("tagged.webp"), withExif);
        assertThat(MediaInfo.of(tagged).width()).isEqualTo(2560);
        byte[] stripped = MetadataStripper.strip(MediaFormat.WEBP, withExif, 1);
        assertThat(new String(stripped, StandardCharsets.ISO_8859_1)).doesNotContain("GPS here");
        Path out = Files.write(dir.resolve("out.webp"), stripped);
        assertThat(MediaInfo.ssim(Fixtures.webp(), out)).isEqualTo(1.0);
    }

    /** Inserts a tEXt chunk right after IHDR (8 bytes of signature, then 25 bytes of IHDR chunk). */
    private static byte[] withTextChunk(byte[] png, String text) {
        byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("tEXt".getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        var out = new java.io.ByteArrayOutputStream();
        out.write(png, 0, 33);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes("tEXt".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** Wraps a simple (VP8) WebP into the extended layout with an EXIF chunk, as cameras write it. */
    private static byte[] withExifChunk(byte[] simple, int width, int height, byte[] exif) {
        var out = new java.io.ByteArrayOutputStream();
        int w = width - 1;
        int h = height - 1;
        byte[] vp8x = {'V', 'P', '8', 'X', 10, 0, 0, 0, 0x08, 0, 0, 0,
            (byte) w, (byte) (w >> 8), (byte) (w >> 16), (byte) h, (byte) (h >> 8), (byte) (h >> 16)};
        byte[] image = java.util.Arrays.copyOfRange(simple, 12, simple.length);
        int size = 4 + vp8x.length + image.length + 8 + exif.length + (exif.length & 1);
        out.writeBytes(new byte[] {'R', 'I', 'F', 'F', (byte) size, (byte) (size >> 8), (byte) (size >> 16),
            (byte) (size >> 24), 'W', 'E', 'B', 'P'});
        out.writeBytes(vp8x);
        out.writeBytes(image);
        out.writeBytes(new byte[] {'E', 'X', 'I', 'F', (byte) exif.length, (byte) (exif.length >> 8), 0, 0});
        out.writeBytes(exif);
        if ((exif.length & 1) == 1) {
            out.write(0);
        }
        return out.toByteArray();
    }
}
