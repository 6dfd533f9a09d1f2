package io.mediacompression.media;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Removes every metadata block a JPEG, PNG or WebP can carry, wherever it sits in the file, without touching the
 * pixels: what is kept is a whitelist of what display needs. JPEG keeps JFIF, its ICC profile (APP2) and Adobe's
 * colour transform (APP14), and nothing after the first image's EOI (MPF pictures, vendor trailers); PNG keeps the
 * critical chunks and the colour, transparency and density ones, and nothing after IEND; WebP keeps its image, alpha,
 * animation and ICCP chunks, and nothing after the RIFF size. The ICC profile the upload had is put back when
 * FFmpeg's output lacks it (FFmpeg's WebP encoder writes none), so colours display as in the upload.
 */
public final class MetadataStripper {

    private static final Set<String> PNG_KEPT_ANCILLARY =
            Set.of("tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD", "cICP", "hIST", "sPLT");
    private static final Set<String> WEBP_KEPT = Set.of("VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP");
    private static final byte[] JFIF = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] JPEG_ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);
    private static final int JPEG_ICC_CHUNK = 65535 - 2 - JPEG_ICC.length - 2;

    private MetadataStripper() {
    }

    /** The image without its metadata, carrying {@code iccProfile} when it has no profile of its own. */
    public static byte[] strip(MediaFormat format, byte[] image, Optional<byte[]> iccProfile) {
        try {
            return switch (format) {
                case JPEG -> jpeg(image, iccProfile);
                case PNG -> png(image, iccProfile);
                case WEBP -> webp(image, iccProfile);
                default -> throw new IllegalArgumentException("not an image format: " + format);
            };
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new UnreadableMedia("the image is damaged");
        }
    }

    // ---- JPEG ----------------------------------------------------------------------------------------------------

    private static byte[] jpeg(byte[] in, Optional<byte[]> icc) {
        if ((in[0] & 0xFF) != 0xFF || (in[1] & 0xFF) != 0xD8) {
            throw new UnreadableMedia("the image is damaged");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        out.write(in, 0, 2);
        boolean iccPending = icc.isPresent();
        int pos = 2;
        while (pos + 1 < in.length) {
            if ((in[pos] & 0xFF) != 0xFF) {
                throw new UnreadableMedia("the image is damaged");
            }
            int marker = in[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0xD9) {
                out.write(in, pos, 2);
                break;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                out.write(in, pos, 2);
                pos += 2;
                continue;
            }
            int length = ((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF);
            int end = pos + 2 + length;
            if (length < 2 || end > in.length) {
                throw new UnreadableMedia("the image is damaged");
            }
            boolean jfif = marker == 0xE0 && startsWith(in, pos + 4, JFIF);
            boolean profile = marker == 0xE2 && startsWith(in, pos + 4, JPEG_ICC);
            if (iccPending && !jfif) {
                // JFIF must stay the first segment; the profile goes right after it, unless the image has its own
                iccPending = false;
                if (!hasProfileSegment(in)) {
                    writeJpegIcc(out, icc.get());
                }
            }
            if (keepsJpegSegment(marker, jfif, profile, in, pos + 4)) {
                out.write(in, pos, end - pos);
            }
            pos = end;
            if (marker == 0xDA) {
                int scan = pos;
                while (pos + 1 < in.length && !isMarkerAfterScan(in[pos], in[pos + 1])) {
                    pos++;
                }
                out.write(in, scan, pos - scan);
            }
        }
        return out.toByteArray();
    }

    private static boolean keepsJpegSegment(int marker, boolean jfif, boolean profile, byte[] in, int body) {
        if (marker == 0xE0) {
            return jfif;
        }
        if (marker == 0xE2) {
            return profile;
        }
        if (marker == 0xEE) {
            return startsWith(in, body, ADOBE);
        }
        return !(marker >= 0xE0 && marker <= 0xEF) && marker != 0xFE;
    }

    // in entropy-coded data 0xFF is followed by 0x00 (a stuffed byte) or by a restart marker; anything else ends the scan
    private static boolean isMarkerAfterScan(byte b, byte next) {
        int n = next & 0xFF;
        return (b & 0xFF) == 0xFF && n != 0x00 && n != 0xFF && !(n >= 0xD0 && n <= 0xD7);
    }

    private static boolean hasProfileSegment(byte[] in) {
        int pos = 2;
        while (pos + 4 <= in.length && (in[pos] & 0xFF) == 0xFF) {
            int marker = in[pos + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return false;
            }
            if (marker == 0xE2 && startsWith(in, pos + 4, JPEG_ICC)) {
                return true;
            }
            pos += 2 + (((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF));
        }
        return false;
    }

    private static void writeJpegIcc(ByteArrayOutputStream out, byte[] profile) {
        int count = (profile.length + JPEG_ICC_CHUNK - 1) / JPEG_ICC_CHUNK;
        if (count > 255) {
            return; // not representable in APP2 chunks: the image is shown as sRGB
        }
        for (int i = 0; i < count; i++) {
            int from = i * JPEG_ICC_CHUNK;
            int n = Math.min(JPEG_ICC_CHUNK, profile.length - from);
            int length = 2 + JPEG_ICC.length + 2 + n;
            out.write(0xFF);
            out.write(0xE2);
            out.write(length >> 8);
            out.write(length);
            out.writeBytes(JPEG_ICC);
            out.write(i + 1);
            out.write(count);
            out.write(profile, from, n);
        }
    }

    // ---- PNG -----------------------------------------------------------------------------------------------------

    private static byte[] png(byte[] in, Optional<byte[]> icc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        out.write(in, 0, 8);
        boolean addIcc = icc.isPresent() && !hasPngChunk(in, "iCCP");
        int pos = 8;
        while (pos + 12 <= in.length) {
            int length = ByteBuffer.wrap(in, pos, 4).getInt();
            String type = new String(in, pos + 4, 4, StandardCharsets.ISO_8859_1);
            int total = 12 + length;
            if (length < 0 || pos + total > in.length) {
                throw new UnreadableMedia("the image is damaged");
            }
            // a profile and an sRGB chunk must not stand together: the upload's profile wins
            boolean kept = Character.isUpperCase(type.charAt(0))
                    || (PNG_KEPT_ANCILLARY.contains(type) && !(addIcc && type.equals("sRGB")));
            if (kept) {
                out.write(in, pos, total);
            }
            if (type.equals("IHDR") && addIcc) {
                writePngChunk(out, "iCCP", iccpData(icc.get()));
            }
            pos += total;
            if (type.equals("IEND")) {
                break;
            }
        }
        return out.toByteArray();
    }

    private static boolean hasPngChunk(byte[] in, String wanted) {
        int pos = 8;
        while (pos + 12 <= in.length) {
            int length = ByteBuffer.wrap(in, pos, 4).getInt();
            String type = new String(in, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals(wanted)) {
                return true;
            }
            if (length < 0 || type.equals("IEND")) {
                return false;
            }
            pos += 12 + length;
        }
        return false;
    }

    private static byte[] iccpData(byte[] profile) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes("ICC Profile\0\0".getBytes(StandardCharsets.ISO_8859_1));
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(profile);
            deflater.finish();
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                data.write(buffer, 0, deflater.deflate(buffer));
            }
        } finally {
            deflater.end();
        }
        return data.toByteArray();
    }

    private static void writePngChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    // ---- WebP ----------------------------------------------------------------------------------------------------

    private static final int VP8X_ICC = 0x20;
    private static final int VP8X_ALPHA = 0x10;
    private static final int VP8X_EXIF = 0x08;
    private static final int VP8X_XMP = 0x04;

    private static byte[] webp(byte[] in, Optional<byte[]> icc) {
        int riffEnd = (int) Math.min(in.length, 8 + (ByteBuffer.wrap(in, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()
                & 0xFFFFFFFFL));
        ByteArrayOutputStream chunks = new ByteArrayOutputStream(in.length);
        byte[] vp8x = null;
        boolean hasIcc = false;
        int pos = 12;
        while (pos + 8 <= riffEnd) {
            String type = new String(in, pos, 4, StandardCharsets.ISO_8859_1);
            int length = ByteBuffer.wrap(in, pos + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (length < 0 || pos + 8 + length > riffEnd) {
                throw new UnreadableMedia("the image is damaged");
            }
            int total = Math.min(8 + length + (length & 1), riffEnd - pos);
            if (type.equals("VP8X")) {
                vp8x = Arrays.copyOfRange(in, pos, pos + total);
                vp8x[8] &= (byte) ~(VP8X_EXIF | VP8X_XMP);
            } else if (WEBP_KEPT.contains(type)) {
                hasIcc |= type.equals("ICCP");
                chunks.write(in, pos, total);
            }
            pos += total;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(chunks.size() + 64);
        if (icc.isPresent() && !hasIcc) {
            if (vp8x == null) {
                vp8x = vp8xFor(chunks.toByteArray());
            }
            vp8x[8] |= VP8X_ICC;
            body.writeBytes(vp8x);
            byte[] profile = icc.get();
            body.writeBytes(new byte[] {'I', 'C', 'C', 'P'});
            body.writeBytes(littleEndian(profile.length));
            body.writeBytes(profile);
            if ((profile.length & 1) == 1) {
                body.write(0);
            }
        } else if (vp8x != null) {
            body.writeBytes(vp8x);
        }
        body.writeBytes(chunks.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 12);
        out.write(in, 0, 4);
        out.writeBytes(littleEndian(body.size() + 4));
        out.write(in, 8, 4);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    // A simple WebP (one VP8 or VP8L chunk) turned extended: the canvas size comes from the bitstream's own header.
    private static byte[] vp8xFor(byte[] chunks) {
        String type = new String(chunks, 0, 4, StandardCharsets.ISO_8859_1);
        int width;
        int height;
        int flags = 0;
        if (type.equals("VP8 ")) {
            // frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height
            width = (chunks[14] & 0xFF | (chunks[15] & 0xFF) << 8) & 0x3FFF;
            height = (chunks[16] & 0xFF | (chunks[17] & 0xFF) << 8) & 0x3FFF;
        } else if (type.equals("VP8L")) {
            // signature 0x2F, then width-1 and height-1 in 14 bits each and the alpha hint
            int bits = ByteBuffer.wrap(chunks, 9, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            width = (bits & 0x3FFF) + 1;
            height = ((bits >>> 14) & 0x3FFF) + 1;
            flags = (bits >>> 28 & 1) == 1 ? VP8X_ALPHA : 0;
        } else {
            throw new UnreadableMedia("the image is damaged");
        }
        int w = width - 1;
        int h = height - 1;
        return new byte[] {'V', 'P', '8', 'X', 10, 0, 0, 0, (byte) flags, 0, 0, 0,
            (byte) w, (byte) (w >> 8), (byte) (w >> 16), (byte) h, (byte) (h >> 8), (byte) (h >> 16)};
    }

    private static byte[] littleEndian(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        return at + prefix.length <= bytes.length
                && Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
    }
}
