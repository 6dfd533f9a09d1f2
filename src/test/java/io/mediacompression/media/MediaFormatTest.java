package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MediaFormatTest {

    @Test
    void names_a_format_by_extension_in_any_case() {
        assertThat(MediaFormat.byFilename("Clip.MP4")).contains(MediaFormat.MP4);
        assertThat(MediaFormat.byFilename("photo.JPEG")).contains(MediaFormat.JPEG);
        assertThat(MediaFormat.byFilename("notes.txt")).isEmpty();
        assertThat(MediaFormat.byFilename("noextension")).isEmpty();
        assertThat(MediaFormat.byFilename("trailingdot.")).isEmpty();
    }

    @Test
    void rejects_a_text_file_named_mp4() {
        assertThat(MediaFormat.MP4.matches("hello world, not a video".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void rejects_a_jpeg_named_mkv_and_accepts_real_signatures() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(MediaFormat.MKV.matches(jpeg)).isFalse();
        assertThat(MediaFormat.JPEG.matches(jpeg)).isTrue();
        byte[] mp4 = {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
        assertThat(MediaFormat.MP4.matches(mp4)).isTrue();
        byte[] webp = "RIFF\0\0\0\0WEBP".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MediaFormat.WEBP.matches(webp)).isTrue();
        assertThat(MediaFormat.AVI.matches(webp)).isFalse();
    }

    @Test
    void rejects_a_binary_named_png() {
        assertThat(MediaFormat.PNG.matches(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})).isFalse();
    }
}
