package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.Fixtures;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ExifOrientationTest {

    @Test
    void reads_the_orientation_tag_of_a_jpeg() throws Exception {
        assertThat(ExifOrientation.of(Fixtures.jpegWithExifOrientation(6))).isEqualTo(6);
        assertThat(ExifOrientation.of(Fixtures.jpeg())).isEqualTo(1);
    }

    @Test
    void treats_a_damaged_exif_block_as_no_orientation() throws Exception {
        byte[] jpeg = Files.readAllBytes(Fixtures.jpegWithExifOrientation(6));
        jpeg[16] = (byte) 0x7F; // the IFD offset now points far past the block
        jpeg[17] = (byte) 0x7F;
        assertThat(ExifOrientation.of(jpeg)).isEqualTo(1);
        assertThat(ExifOrientation.of(new byte[] {1, 2, 3})).isEqualTo(1);
    }

    @Test
    void maps_every_orientation_to_filters_that_turn_it_upright() {
        assertThat(ExifOrientation.filters(1)).isEmpty();
        assertThat(ExifOrientation.filters(3)).isEqualTo("hflip,vflip");
        assertThat(ExifOrientation.filters(6)).isEqualTo("transpose=1");
        assertThat(ExifOrientation.filters(8)).isEqualTo("transpose=2");
        assertThat(ExifOrientation.swapsSides(6)).isTrue();
        assertThat(ExifOrientation.swapsSides(3)).isFalse();
    }
}
