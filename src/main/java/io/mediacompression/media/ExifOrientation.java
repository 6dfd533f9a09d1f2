package io.mediacompression.media;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The EXIF orientation (1 to 8; 1 when absent or unreadable) read from a TIFF block, and the FFmpeg filters that
 * display the pixels as a viewer that honours the tag would. Where the TIFF block sits in each format is
 * {@link ImageMetadata}'s business.
 */
public final class ExifOrientation {

    private ExifOrientation() {
    }

    /** The orientation tag of IFD0 in {@code length} bytes of TIFF data (byte order mark first) at {@code offset}. */
    static int fromTiff(byte[] bytes, int offset, int length) {
        if (length < 8 || offset < 0 || offset + length > bytes.length) {
            return 1;
        }
        ByteBuffer tiff = ByteBuffer.wrap(bytes, offset, length).slice();
        try {
            tiff.order(tiff.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            int ifd = tiff.getInt(4);
            int entries = tiff.getShort(ifd) & 0xFFFF;
            for (int i = 0; i < entries; i++) {
                int entry = ifd + 2 + i * 12;
                if ((tiff.getShort(entry) & 0xFFFF) == 0x0112) {
                    int value = tiff.getShort(entry + 8) & 0xFFFF;
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            // a truncated or lying EXIF block: show the picture as stored
        }
        return 1;
    }

    /** The filters, in order, that turn stored pixels into displayed pixels; empty for orientation 1. */
    public static String filters(int orientation) {
        return switch (orientation) {
            case 2 -> "hflip";
            case 3 -> "hflip,vflip";
            case 4 -> "vflip";
            case 5 -> "transpose=0";
            case 6 -> "transpose=1";
            case 7 -> "transpose=3";
            case 8 -> "transpose=2";
            default -> "";
        };
    }

    /** Whether the orientation turns the picture by 90 degrees (width and height swap). */
    public static boolean swapsSides(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }
}
