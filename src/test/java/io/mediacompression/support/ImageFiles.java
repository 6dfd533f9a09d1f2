package io.mediacompression.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Hand-made image files for the metadata cases cameras and phones produce: EXIF with orientation and GPS in each
 * format's own place, ICC profiles, MPF trailers, and the byte-level check that no GPS pointer survived.
 */
public final class ImageFiles {

    /** The text of the GPS block {@link #exifTiff} writes ("N" as GPS latitude reference). */
    public static final String GPS_MARKER = "GPSLatitudeRef";

    private ImageFiles() {
    }

    /**
     * A TIFF block as EXIF carries it: IFD0 with the orientation and a GPS IFD pointer (tag 0x8825), the GPS IFD with
     * its latitude reference, and the marker text after it so that a test can find the block in any output.
     */
    public static byte[] exifTiff(int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        int gpsIfd = 8 + 2 + 2 * 12 + 4;
        tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(gpsIfd);
        tiff.putInt(0);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
        tiff.putInt(0);
        tiff.put(GPS_MARKER.getBytes(StandardCharsets.US_ASCII));
        return Arrays.copyOf(tiff.array(), tiff.position());
    }

    /** A JPEG with an APP1 EXIF segment (orientation and GPS) right after SOI. */
    public static byte[] jpegWithExif(byte[] jpeg, int orientation) {
        byte[] tiff = exifTiff(orientation);
        byte[] body = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, body, 0, 6);
        System.arraycopy(tiff, 0, body, 6, tiff.length);
        return jpegWithSegment(jpeg, 0xE1, body);
    }

    /** A JPEG carrying {@code profile} in APP2 ICC_PROFILE segments, as cameras and phones write it. */
    public static byte[] jpegWithIcc(byte[] jpeg, byte[] profile) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
        body.write(1);
        body.write(1);
        body.writeBytes(profile);
        return jpegWithSegment(jpeg, 0xE2, body.toByteArray());
    }

    /**
     * A phone's multi-picture JPEG: the primary image with an APP2 MPF segment, followed after its EOI by a second
     * JPEG (the "preview") that carries its own EXIF with GPS.
     */
    public static byte[] jpegWithMpfTrailer(byte[] primary, byte[] second) {
        byte[] mpf = ByteBuffer.allocate(20).put("MPF\0".getBytes(StandardCharsets.ISO_8859_1))
                .put(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0}).array();
        byte[] tagged = jpegWithSegment(primary, 0xE2, mpf);
        byte[] trailer = jpegWithExif(second, 1);
        byte[] all = Arrays.copyOf(tagged, tagged.length + trailer.length);
        System.arraycopy(trailer, 0, all, tagged.length, trailer.length);
        return all;
    }

    private static byte[] jpegWithSegment(byte[] jpeg, int marker, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(marker);
        out.write((body.length + 2) >> 8);
        out.write(body.length + 2);
        out.writeBytes(body);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A PNG with a chunk inserted right after IHDR (8 bytes of signature, then 25 bytes of IHDR chunk). */
    public static byte[] pngWithChunk(byte[] png, String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        pngChunk(out, type, data);
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** A PNG's {@code iCCP} chunk data: profile name, NUL, method 0, the zlib-compressed profile. */
    public static byte[] iccpData(byte[] profile) {
        Deflater deflater = new Deflater();
        deflater.setInput(profile);
        deflater.finish();
        byte[] buffer = new byte[profile.length + 1024];
        int n = deflater.deflate(buffer);
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Display P3\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.write(buffer, 0, n);
        return out.toByteArray();
    }

    static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A simple (VP8) WebP made extended, as cameras and editors write it: VP8X with the flags of the chunks given as
     * type/data pairs; ICCP goes before the image and everything else (EXIF, XMP) after it, as the spec orders them.
     */
    public static byte[] webpExtended(byte[] simple, int width, int height, Object... chunks) {
        int flags = 0;
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        for (int i = 0; i < chunks.length; i += 2) {
            String type = (String) chunks[i];
            byte[] data = (byte[]) chunks[i + 1];
            flags |= switch (type) {
                case "ICCP" -> 0x20;
                case "EXIF" -> 0x08;
                case "XMP " -> 0x04;
                default -> 0;
            };
            webpChunk(type.equals("ICCP") ? before : after, type, data);
        }
        int w = width - 1;
        int h = height - 1;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        webpChunk(body, "VP8X", new byte[] {(byte) flags, 0, 0, 0,
            (byte) w, (byte) (w >> 8), (byte) (w >> 16), (byte) h, (byte) (h >> 8), (byte) (h >> 16)});
        body.writeBytes(before.toByteArray());
        body.write(simple, 12, simple.length - 12);
        body.writeBytes(after.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.size()).array());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void webpChunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
        out.writeBytes(data);
        if ((data.length & 1) == 1) {
            out.write(0);
        }
    }

    /**
     * A Display P3 ICC profile: Java's sRGB profile with the P3 primaries (D50-adapted, as in Apple's profile), with a
     * fixed creation date so that it is the same bytes in every run.
     */
    public static byte[] displayP3Profile() {
        ICC_Profile profile = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
        profile.setData(ICC_Profile.icSigRedColorantTag, xyz(0.515121, 0.241196, -0.001053));
        profile.setData(ICC_Profile.icSigGreenColorantTag, xyz(0.291977, 0.692245, 0.041885));
        profile.setData(ICC_Profile.icSigBlueColorantTag, xyz(0.157104, 0.066574, 0.784073));
        byte[] bytes = profile.getData();
        // the header's dateTimeNumber: 2026-01-01 00:00:00
        ByteBuffer.wrap(bytes, 24, 12).putShort((short) 2026).putShort((short) 1).putShort((short) 1)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0);
        return bytes;
    }

    /** Whether {@code profile} is exactly {@link #displayP3Profile()}, compared without printing kilobytes. */
    public static boolean isDisplayP3(java.util.Optional<byte[]> profile) {
        return profile.map(p -> Arrays.equals(p, displayP3Profile())).orElse(false);
    }

    private static byte[] xyz(double x, double y, double z) {
        return ByteBuffer.allocate(20).put("XYZ ".getBytes(StandardCharsets.US_ASCII)).putInt(0)
                .putInt((int) Math.round(x * 65536)).putInt((int) Math.round(y * 65536)).putInt((int) Math.round(z * 65536))
                .array();
    }

    /**
     * Checks byte by byte that no EXIF survived in the file: no GPS IFD pointer (tag 0x8825 as LONG or IFD, in either
     * byte order), no GPS text, no "Exif" header, no TIFF header.
     */
    public static void assertNoExifOrGps(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String hex = HexFormat.of().formatHex(bytes);
        for (String pointer : new String[] {"88250004", "25880400", "8825000d", "25880d00"}) {
            assertThat(indexOfAligned(hex, pointer)).as("GPS IFD pointer %s in %s", pointer, file).isNegative();
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(text).as("metadata text in %s", file).doesNotContain(GPS_MARKER, "Exif\0", "MM\0*\0", "II*\0");
    }

    // a match in the hex string only counts at a byte boundary
    private static int indexOfAligned(String hex, String needle) {
        int at = hex.indexOf(needle);
        while (at >= 0 && at % 2 != 0) {
            at = hex.indexOf(needle, at + 1);
        }
        return at;
    }
}
