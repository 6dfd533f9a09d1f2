package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.ImageFiles;
import org.junit.jupiter.api.Test;

class ExifOrientationTest {

    @Test
    void reads_the_orientation_tag_of_a_tiff_block() {
        byte[] tiff = ImageFiles.exifTiff(6);
        assertThat(ExifOrientation.fromTiff(tiff, 0, tiff.length)).isEqualTo(6);
    }

    @Test
    void treats_a_damaged_tiff_block_as_no_orientation() {
        byte[] tiff = ImageFiles.exifTiff(6);
        tiff[4] = (byte) 0x7F; // the IFD offset now points far past the block
        tiff[5] = (byte) 0x7F;
        assertThat(ExifOrientation.fromTiff(tiff, 0, tiff.length)).isEqualTo(1);
        assertThat(ExifOrientation.fromTiff(new byte[] {1, 2, 3}, 0, 3)).isEqualTo(1);
        assertThat(ExifOrientation.fromTiff(ImageFiles.exifTiff(9), 0, ImageFiles.exifTiff(9).length)).isEqualTo(1);
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
