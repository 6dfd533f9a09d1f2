package io.mediacompression.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Removes metadata (EXIF, GPS, XMP, comments, text chunks) from a JPEG, PNG or WebP without touching its pixels.
 * Used when FFmpeg's re-encoding of an image that needs no resizing or turning would be larger than the upload.
 * Colour information (ICC profiles, gamma) is kept so the picture still displays the same.
 */
public final class MetadataStripper {

    private static final Set<String> PNG_KEPT_ANCILLARY =
            Set.of("tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD", "acTL", "fcTL", "fdAT");

    private MetadataStripper() {
    }

    /**
     * The image without its metadata. A JPEG whose EXIF orientation is not 1 gets a minimal EXIF block with only that
     * tag back, smaller than the one it had, so it displays as before.
     */
    public static byte[] strip(MediaFormat format, byte[] image, int jpegOrientation) {
        try {
            return switch (format) {
                case JPEG -> jpeg(image, jpegOrientation);
                case PNG -> png(image);
                case WEBP -> webp(image);
                default -> throw new IllegalArgumentException("not an image format: " + format);
            };
        } catch (IndexOutOfBoundsException e) {
            throw new UnreadableMedia("the image is damaged");
        }
    }

    // Drops APP1 (EXIF, XMP), APP13 (IPTC) and COM segments before the scan; keeps JFIF, ICC (APP2), Adobe (APP14).
    private static byte[] jpeg(byte[] in, int orientation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        out.write(in, 0, 2);
        if (orientation != 1) {
            out.write(orientationOnlyExif(orientation), 0, ORIENTATION_ONLY_EXIF_LENGTH);
        }
        int pos = 2;
        while (pos + 4 <= in.length) {
            if ((in[pos] & 0xFF) != 0xFF) {
                throw new UnreadableMedia("the image is damaged");
            }
            int marker = in[pos + 1] & 0xFF;
            if (marker == 0xDA) {
                break;
            }
            int length = ((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF);
            if (pos + 2 + length > in.length) {
                throw new UnreadableMedia("the image is damaged");
            }
            if (marker != 0xE1 && marker != 0xED && marker != 0xFE) {
                out.write(in, pos, 2 + length);
            }
            pos += 2 + length;
        }
        out.write(in, pos, in.length - pos);
        return out.toByteArray();
    }

    private static final int ORIENTATION_ONLY_EXIF_LENGTH = 36;

    // APP1 "Exif" with a big-endian TIFF header and one IFD entry: Orientation (0x0112), SHORT, 1 value
    private static byte[] orientationOnlyExif(int orientation) {
        return new byte[] {
            (byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
            'M', 'M', 0, 42, 0, 0, 0, 8,
            0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
            0, 0, 0, 0};
    }

    private static byte[] png(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        out.write(in, 0, 8);
        int pos = 8;
        while (pos + 12 <= in.length) {
            int length = readIntBigEndian(in, pos);
            String type = new String(in, pos + 4, 4, StandardCharsets.ISO_8859_1);
            int total = 12 + length;
            if (length < 0 || pos + total > in.length) {
                throw new UnreadableMedia("the image is damaged");
            }
            if (Character.isUpperCase(type.charAt(0)) || PNG_KEPT_ANCILLARY.contains(type)) {
                out.write(in, pos, total);
            }
            pos += total;
            if (type.equals("IEND")) {
                break;
            }
        }
        return out.toByteArray();
    }

    // RIFF container: drops the EXIF and XMP chunks and clears their flags in VP8X.
    private static byte[] webp(byte[] in) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(in.length);
        int pos = 12;
        while (pos + 8 <= in.length) {
            String type = new String(in, pos, 4, StandardCharsets.ISO_8859_1);
            int length = readIntLittleEndian(in, pos + 4);
            int total = 8 + length + (length & 1);
            if (length < 0 || pos + 8 + length > in.length) {
                throw new UnreadableMedia("the image is damaged");
            }
            total = Math.min(total, in.length - pos);
            if (type.equals("VP8X")) {
                byte[] chunk = Arrays.copyOfRange(in, pos, pos + total);
                chunk[8] &= (byte) ~0x0C;
                body.write(chunk, 0, chunk.length);
            } else if (!type.equals("EXIF") && !type.equals("XMP ")) {
                body.write(in, pos, total);
            }
            pos += total;
        }
        byte[] chunks = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunks.length + 12);
        out.write(in, 0, 4);
        int size = chunks.length + 4;
        out.write(new byte[] {(byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)}, 0, 4);
        out.write(in, 8, 4);
        out.write(chunks, 0, chunks.length);
        return out.toByteArray();
    }

    private static int readIntBigEndian(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static int readIntLittleEndian(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 3] & 0xFF) << 24);
    }
}
