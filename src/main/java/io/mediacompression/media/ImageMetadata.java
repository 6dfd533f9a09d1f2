package io.mediacompression.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What an uploaded image says about itself, read from its container without decoding a pixel (so no ffprobe run is
 * needed): its stored size and whether it has a palette (JPEG SOFn, PNG {@code IHDR}, WebP {@code VP8X}/{@code VP8 }/
 * {@code VP8L}), the EXIF orientation (JPEG APP1, PNG {@code eXIf}, WebP {@code EXIF}), the ICC colour profile (JPEG
 * APP2, PNG {@code iCCP}, WebP {@code ICCP}) and whether it is animated (APNG, animated WebP). Only chunk and segment
 * headers are read, plus the bodies of the few blocks above. A size of 0 means none was found.
 */
public record ImageMetadata(int width, int height, boolean palette, int orientation, Optional<byte[]> iccProfile,
                            boolean animated) {

    // a real profile is at most a few hundred KB; this bounds what a lying iCCP chunk can inflate to
    private static final int MAX_ICC_BYTES = 8 << 20;
    private static final byte[] JPEG_ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] EXIF_PREFIX = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);

    public static final ImageMetadata NONE = new ImageMetadata(0, 0, false, 1, Optional.empty(), false);

    /** The image as a probe of one video stream, the shape FFmpeg's planning takes. */
    public MediaProbe asProbe(MediaFormat format) {
        String codec = format == MediaFormat.JPEG ? "mjpeg" : format.extension();
        return new MediaProbe(format.extension(), 0, 0, Optional.of(new MediaProbe.VideoStream(0, codec, "", width,
                height, palette ? "pal8" : "", "", 1, 1, 0, 0)), java.util.List.of());
    }

    /** Reads the file's metadata; a damaged structure yields what could be read before the damage. */
    public static ImageMetadata read(MediaFormat format, Path image) {
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ)) {
            Reader in = new Reader(file);
            return switch (format) {
                case JPEG -> jpeg(in);
                case PNG -> png(in);
                case WEBP -> webp(in);
                default -> NONE;
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ImageMetadata jpeg(Reader in) throws IOException {
        int width = 0;
        int height = 0;
        int orientation = 0;
        TreeMap<Integer, byte[]> iccChunks = new TreeMap<>();
        int iccCount = 0;
        long pos = 2;
        while (true) {
            byte[] head = in.read(pos, 4);
            if (head.length < 4 || (head[0] & 0xFF) != 0xFF) {
                break;
            }
            int marker = head[1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
            if (length < 2) {
                break;
            }
            if (isStartOfFrame(marker) && width == 0) {
                byte[] frame = in.read(pos + 4, 5);
                if (frame.length == 5) {
                    height = ((frame[1] & 0xFF) << 8) | (frame[2] & 0xFF);
                    width = ((frame[3] & 0xFF) << 8) | (frame[4] & 0xFF);
                }
            } else if (marker == 0xE1 && orientation == 0) {
                byte[] body = in.read(pos + 4, length - 2);
                if (startsWith(body, EXIF_PREFIX)) {
                    orientation = ExifOrientation.fromTiff(body, EXIF_PREFIX.length, body.length - EXIF_PREFIX.length);
                }
            } else if (marker == 0xE2) {
                byte[] body = in.read(pos + 4, length - 2);
                if (startsWith(body, JPEG_ICC) && body.length > JPEG_ICC.length + 2) {
                    int sequence = body[JPEG_ICC.length] & 0xFF;
                    iccCount = body[JPEG_ICC.length + 1] & 0xFF;
                    iccChunks.put(sequence, java.util.Arrays.copyOfRange(body, JPEG_ICC.length + 2, body.length));
                }
            }
            pos += 2 + length;
        }
        Optional<byte[]> icc = Optional.empty();
        if (iccCount > 0 && iccChunks.size() == iccCount && iccChunks.firstKey() == 1 && iccChunks.lastKey() == iccCount) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            iccChunks.values().forEach(joined::writeBytes);
            icc = Optional.of(joined.toByteArray());
        }
        return new ImageMetadata(width, height, false, Math.max(orientation, 1), icc, false);
    }

    // SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static ImageMetadata png(Reader in) throws IOException {
        int width = 0;
        int height = 0;
        boolean palette = false;
        int orientation = 1;
        Optional<byte[]> icc = Optional.empty();
        boolean animated = false;
        boolean seenImageData = false;
        long pos = 8;
        while (true) {
            byte[] head = in.read(pos, 8);
            if (head.length < 8) {
                break;
            }
            long length = ByteBuffer.wrap(head).getInt() & 0xFFFFFFFFL;
            String type = new String(head, 4, 4, StandardCharsets.ISO_8859_1);
            if (length > in.size() - pos - 12 || type.equals("IEND")) {
                break;
            }
            switch (type) {
                case "IHDR" -> {
                    ByteBuffer header = ByteBuffer.wrap(in.read(pos + 8, 13));
                    if (header.remaining() == 13) {
                        width = positive(header.getInt(0));
                        height = positive(header.getInt(4));
                        palette = header.get(9) == 3;
                    }
                }
                case "IDAT" -> seenImageData = true;
                // an APNG announces its animation before the image data; after it the chunk is ignored by viewers
                case "acTL" -> animated |= !seenImageData;
                case "eXIf" -> orientation = tiffOrientation(in.read(pos + 8, (int) length));
                case "iCCP" -> icc = inflatedProfile(in.read(pos + 8, (int) length));
                default -> { }
            }
            pos += 12 + length;
        }
        return new ImageMetadata(width, height, palette, orientation, icc, animated);
    }

    private static ImageMetadata webp(Reader in) throws IOException {
        int width = 0;
        int height = 0;
        int orientation = 1;
        Optional<byte[]> icc = Optional.empty();
        boolean animated = false;
        byte[] riff = in.read(4, 4);
        if (riff.length < 4) {
            return NONE;
        }
        long end = Math.min(in.size(), 8 + (ByteBuffer.wrap(riff).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL));
        long pos = 12;
        while (pos + 8 <= end) {
            byte[] head = in.read(pos, 8);
            String type = new String(head, 0, 4, StandardCharsets.ISO_8859_1);
            long length = ByteBuffer.wrap(head, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            if (length > end - pos - 8) {
                break;
            }
            switch (type) {
                case "VP8X" -> {
                    byte[] vp8x = in.read(pos + 8, 10);
                    if (vp8x.length == 10) {
                        animated |= (vp8x[0] & 0x02) != 0;
                        width = 1 + uint24(vp8x, 4);
                        height = 1 + uint24(vp8x, 7);
                    }
                }
                case "VP8 " -> {
                    // frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height; VP8X's canvas comes first
                    byte[] frame = in.read(pos + 8, 10);
                    if (width == 0 && frame.length == 10) {
                        width = (frame[6] & 0xFF | (frame[7] & 0xFF) << 8) & 0x3FFF;
                        height = (frame[8] & 0xFF | (frame[9] & 0xFF) << 8) & 0x3FFF;
                    }
                }
                case "VP8L" -> {
                    // signature 0x2F, then width-1 and height-1 in 14 bits each
                    byte[] header = in.read(pos + 8, 5);
                    if (width == 0 && header.length == 5) {
                        int bits = ByteBuffer.wrap(header, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                        width = (bits & 0x3FFF) + 1;
                        height = ((bits >>> 14) & 0x3FFF) + 1;
                    }
                }
                case "ANIM", "ANMF" -> animated = true;
                case "ICCP" -> icc = Optional.of(in.read(pos + 8, (int) length));
                case "EXIF" -> orientation = tiffOrientation(in.read(pos + 8, (int) length));
                default -> { }
            }
            pos += 8 + length + (length & 1);
        }
        return new ImageMetadata(width, height, false, orientation, icc, animated);
    }

    private static int uint24(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }

    private static int positive(int value) {
        return Math.max(value, 0);
    }

    // PNG and WebP carry the TIFF block itself; some writers put JPEG's "Exif\0\0" before it all the same
    private static int tiffOrientation(byte[] block) {
        int skip = startsWith(block, EXIF_PREFIX) ? EXIF_PREFIX.length : 0;
        return ExifOrientation.fromTiff(block, skip, block.length - skip);
    }

    // iCCP: a profile name of 1-79 bytes, a NUL, compression method 0, then the zlib stream
    private static Optional<byte[]> inflatedProfile(byte[] chunk) {
        int nul = 0;
        while (nul < chunk.length && nul < 80 && chunk[nul] != 0) {
            nul++;
        }
        if (nul + 2 > chunk.length || chunk[nul + 1] != 0) {
            return Optional.empty();
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(chunk, nul + 2, chunk.length - nul - 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished() && out.size() <= MAX_ICC_BYTES) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return Optional.empty();
                }
                out.write(buffer, 0, n);
            }
            return inflater.finished() ? Optional.of(out.toByteArray()) : Optional.empty();
        } catch (DataFormatException e) {
            return Optional.empty();
        } finally {
            inflater.end();
        }
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        return java.util.Arrays.equals(bytes, 0, Math.min(bytes.length, prefix.length), prefix, 0, prefix.length);
    }

    /** Positional reads; a read past the end returns what there is. */
    private record Reader(FileChannel file) {
        long size() throws IOException {
            return file.size();
        }

        byte[] read(long position, int length) throws IOException {
            int n = (int) Math.max(0, Math.min(length, file.size() - position));
            ByteBuffer buffer = ByteBuffer.allocate(n);
            while (buffer.hasRemaining() && file.read(buffer, position + buffer.position()) >= 0) {
                // positional reads until the buffer is full
            }
            return buffer.array();
        }
    }
}
