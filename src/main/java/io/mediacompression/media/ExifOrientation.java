package io.mediacompression.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The EXIF orientation of a JPEG (1 to 8; 1 when absent or unreadable), and the FFmpeg filters that display the
 * pixels as a viewer that honours the tag would. Only the JPEG header is read.
 */
public final class ExifOrientation {

    private static final int MAX_HEADER_BYTES = 256 * 1024;

    private ExifOrientation() {
    }

    public static int of(Path jpeg) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(jpeg)) {
            head = in.readNBytes(MAX_HEADER_BYTES);
        }
        return of(head);
    }

    static int of(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            return 1;
        }
        int pos = 2;
        while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return 1;
            }
            int length = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
            int body = pos + 4;
            if (marker == 0xE1 && length >= 8 && body + length - 2 <= jpeg.length && isExif(jpeg, body)) {
                return tiffOrientation(ByteBuffer.wrap(jpeg, body + 6, length - 8).slice());
            }
            pos += 2 + length;
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

    private static boolean isExif(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
    }

    private static int tiffOrientation(ByteBuffer tiff) {
        try {
            if (tiff.remaining() < 8) {
                return 1;
            }
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
        } catch (IndexOutOfBoundsException e) {
            // a truncated or lying EXIF block: show the picture as stored
        }
        return 1;
    }
}
