package io.mediacompression.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Test media generated with FFmpeg's own sources (lavfi), short and small so the suite stays fast. Each fixture is
 * made once per build under target/fixtures and reused by every test class.
 */
public final class Fixtures {

    private static final Path DIR = Path.of("target", "fixtures").toAbsolutePath();

    private Fixtures() {
    }

    public static Path landscape1080p() {
        return ffmpeg("landscape-1080p.mp4", "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30:d=2",
                "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest");
    }

    public static Path portrait() {
        return ffmpeg("portrait.mp4", "-f", "lavfi", "-i", "testsrc2=s=1080x1920:r=30:d=2",
                "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest");
    }

    /** Stored landscape 1920x1080 with a display matrix that turns it to portrait, as phones record. */
    public static Path portraitRotationFlag() {
        Path stored = ffmpeg("rotation-source.mp4", "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30:d=2",
                "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest");
        return derived("portrait-rotation-flag.mov", List.of("-i", stored.toString(), "-c", "copy",
                "-metadata:s:v:0", "rotate=90"));
    }

    public static Path hevcMov() {
        return ffmpeg("hevc.mov", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=2",
                "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1",
                "-x265-params", "log-level=none", "-c:a", "aac", "-shortest");
    }

    /** VP9 in Matroska with two audio tracks, the first one 5.1. */
    public static Path vp9MkvTwoAudioTracks() {
        return ffmpeg("vp9-two-audio.mkv", "-f", "lavfi", "-i", "testsrc2=s=854x480:r=30:d=2",
                "-f", "lavfi", "-i", "sine=f=440:d=2", "-f", "lavfi", "-i", "sine=f=880:d=2",
                "-map", "0", "-map", "1", "-map", "2", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
                "-b:v", "500k", "-c:a", "libopus", "-ac:a:0", "6", "-ac:a:1", "2", "-shortest");
    }

    public static Path noAudio() {
        return ffmpeg("no-audio.mp4", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=2",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-crf", "10");
    }

    public static Path small480p() {
        return ffmpeg("small-480p.mp4", "-f", "lavfi", "-i", "testsrc2=s=640x480:r=30:d=2",
                "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "mpeg4", "-q:v", "5", "-c:a", "aac", "-shortest");
    }

    public static Path oddDimensions() {
        return ffmpeg("odd.mp4", "-f", "lavfi", "-i", "testsrc2=s=641x359:r=30:d=2",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p");
    }

    public static Path tenBit() {
        return ffmpeg("ten-bit.mkv", "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30:d=2",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le");
    }

    /** 10-bit HLG (BT.2020), as phones record HDR video. */
    public static Path hdrHlg() {
        return ffmpeg("hdr-hlg.mp4", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=1",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
                "-color_trc", "arib-std-b67", "-color_primaries", "bt2020", "-colorspace", "bt2020nc");
    }

    public static Path avi() {
        return ffmpeg("clip.avi", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=2",
                "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "mpeg4", "-q:v", "4", "-c:a", "libmp3lame", "-shortest");
    }

    /** Already H.264/AAC, 720p, at a low bit rate with faststart missing: the remux fast path takes it. */
    public static Path compliant720p() {
        return ffmpeg("compliant-720p.mp4", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=3",
                "-f", "lavfi", "-i", "sine=f=440:d=3", "-c:v", "libx264", "-preset", "veryfast", "-b:v", "800k",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-shortest");
    }

    /** A video cut in the middle: the container head promises more than the file holds. */
    public static Path truncatedVideo() {
        Path whole = landscape1080p();
        return write("truncated.mp4", bytes -> Arrays.copyOf(bytes, bytes.length / 3), whole);
    }

    public static Path audioOnlyMp4() {
        return ffmpeg("audio-only.mp4", "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:a", "aac");
    }

    public static Path pngWithAlpha() {
        return ffmpeg("alpha.png", "-f", "lavfi", "-i", "testsrc2=s=2400x1600:d=1,noise=alls=12:allf=u,format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(X,1200),255,64)'",
                "-frames:v", "1");
    }

    public static Path webp() {
        return ffmpeg("photo.webp", "-f", "lavfi", "-i", "testsrc2=s=2560x1440:d=1", "-frames:v", "1",
                "-c:v", "libwebp", "-quality", "95");
    }

    /** The plain JPEG the EXIF fixtures are made from: 640x480, stored landscape. */
    public static Path jpeg() {
        return ffmpeg("plain.jpg", "-f", "lavfi", "-i", "testsrc2=s=640x480:d=1", "-frames:v", "1", "-q:v", "2");
    }

    /** A big JPEG with EXIF orientation 6 (display turned 90 degrees clockwise) and a GPS position. */
    public static Path jpegWithExifOrientation(int orientation) {
        Path plain = ffmpeg("big.jpg", "-f", "lavfi", "-i", "testsrc2=s=3000x2000:d=1", "-frames:v", "1", "-q:v", "2");
        return write("exif-orientation-" + orientation + ".jpg", bytes -> withExif(bytes, orientation), plain);
    }

    /** A small, already tightly compressed JPEG with EXIF: re-encoding it would not make it smaller. */
    public static Path tinyJpegWithExif() {
        Path plain = ffmpeg("tiny.jpg", "-f", "lavfi", "-i", "color=c=gray:s=320x240:d=1", "-frames:v", "1", "-q:v", "31");
        return write("tiny-exif.jpg", bytes -> withExif(bytes, 1), plain);
    }

    /** A PNG whose header declares 60000x60000 pixels (14 GB decoded) around a few bytes of data. */
    public static Path pngBomb() {
        return write("bomb.png", ignored -> pngDeclaring(60000, 60000), null);
    }

    /** The text EXIF adds to a JPEG: "N" as GPS latitude reference, so a test can find it in the output. */
    public static final String GPS_MARKER = "GPSLatitudeRef";

    // ---------------------------------------------------------------------------------------------------------

    private interface Transform {
        byte[] apply(byte[] bytes) throws IOException;
    }

    private static synchronized Path write(String name, Transform transform, Path source) {
        Path target = DIR.resolve(name);
        if (Files.exists(target)) {
            return target;
        }
        try {
            Files.createDirectories(DIR);
            byte[] in = source == null ? new byte[0] : Files.readAllBytes(source);
            Path partial = DIR.resolve(name + ".part");
            Files.write(partial, transform.apply(in));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path ffmpeg(String name, String... args) {
        return derived(name, List.of(args));
    }

    private static synchronized Path derived(String name, List<String> args) {
        Path target = DIR.resolve(name);
        if (Files.exists(target)) {
            return target;
        }
        try {
            Files.createDirectories(DIR);
            String ext = name.substring(name.lastIndexOf('.'));
            Path partial = DIR.resolve("partial-" + name.replace(ext, "") + ext);
            List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
            command.addAll(args);
            command.add(partial.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("Could not make fixture " + name + ": " + output);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Inserts an EXIF APP1 segment with an orientation tag and a GPS block right after the JPEG's SOI marker. */
    static byte[] withExif(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        int gpsIfd = 8 + 2 + 2 * 12 + 4;
        tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(gpsIfd);
        tiff.putInt(0);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
        tiff.putInt(0);
        byte[] tiffBytes = Arrays.copyOf(tiff.array(), tiff.position());
        byte[] exif = new byte[6 + tiffBytes.length];
        System.arraycopy("Exif\0\0".getBytes(), 0, exif, 0, 6);
        System.arraycopy(tiffBytes, 0, exif, 6, tiffBytes.length);
        int length = exif.length + 2;
        byte[] out = new byte[jpeg.length + 4 + exif.length];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xE1;
        out[4] = (byte) (length >> 8);
        out[5] = (byte) length;
        System.arraycopy(exif, 0, out, 6, exif.length);
        System.arraycopy(jpeg, 2, out, 6 + exif.length, jpeg.length - 2);
        return out;
    }

    private static byte[] pngDeclaring(int width, int height) throws IOException {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 6)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        Deflater deflater = new Deflater(9);
        deflater.setInput(new byte[1 + 4 * 1024]);
        deflater.finish();
        byte[] idat = new byte[1024];
        int n = deflater.deflate(idat);
        var out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", Arrays.copyOf(idat, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes();
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
