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
import java.util.zip.Deflater;

/**
 * Test media generated with FFmpeg's own sources (lavfi), short and small so the suite stays fast. Each fixture is
 * made once per build under target/fixtures and reused by every test class. Test JVMs run side by side (surefire's
 * forks) may make the same fixture at once: each writes its own partial file (named by its pid) and moves it in place.
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

    /**
     * A 2400x1600 RGBA PNG, half of it translucent, deflated lightly as quick exports are: the service's PNG (level 9)
     * comes out smaller. A flat test pattern, not noise: noise made its two compressions cost 9 s of CPU per run.
     */
    public static Path pngWithAlpha() {
        return ffmpeg("alpha-2400x1600-deflate1.png", "-f", "lavfi", "-i", "testsrc2=s=2400x1600:d=1,format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(X,1200),255,64)'",
                "-frames:v", "1", "-compression_level", "1", "-pred", "none");
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

    /** The text the fixtures' EXIF carries in its GPS block, so a test can find it in the output. */
    public static final String GPS_MARKER = ImageFiles.GPS_MARKER;

    /**
     * A noisy 2400x1800 photo saved at a low quality (JPEG quantizer 31): shrunk to 1920 and re-encoded at the
     * service's quality it would come out larger than the upload.
     */
    public static Path noisyLowQualityJpeg() {
        return ffmpeg("noisy-low-quality.jpg", "-f", "lavfi", "-i", "testsrc2=s=2400x1800:d=1,noise=alls=40:allf=t+u",
                "-frames:v", "1", "-q:v", "31");
    }

    /**
     * A small, tightly compressed multi-picture JPEG (re-encoding would not make it smaller, so the upload itself is
     * delivered): an MPF segment, then after EOI a tiny second JPEG with EXIF and GPS.
     */
    public static Path jpegWithMpfTrailer() {
        Path preview = ffmpeg("mpf-preview.jpg", "-f", "lavfi", "-i", "color=c=gray:s=16x16:d=1", "-frames:v", "1",
                "-q:v", "31");
        return write("mpf-trailer.jpg", bytes -> ImageFiles.jpegWithMpfTrailer(bytes, Files.readAllBytes(preview)),
                ffmpeg("mpf-primary.jpg", "-f", "lavfi", "-i", "testsrc2=s=320x240:d=1", "-frames:v", "1",
                        "-q:v", "31"));
    }

    /** A 600x400 PNG stored landscape whose {@code eXIf} chunk says orientation 6 (and has GPS). */
    public static Path pngWithExifOrientation6() {
        return write("exif-orientation-6.png", bytes -> ImageFiles.pngWithChunk(bytes, "eXIf", ImageFiles.exifTiff(6)),
                ffmpeg("landscape-600x400.png", "-f", "lavfi", "-i", "testsrc2=s=600x400:d=1", "-frames:v", "1"));
    }

    /** A 600x400 WebP stored landscape whose {@code EXIF} chunk says orientation 6 (and has GPS). */
    public static Path webpWithExifOrientation6() {
        return write("exif-orientation-6.webp",
                bytes -> ImageFiles.webpExtended(bytes, 600, 400, "EXIF", ImageFiles.exifTiff(6)),
                ffmpeg("landscape-600x400.webp", "-f", "lavfi", "-i", "testsrc2=s=600x400:d=1", "-frames:v", "1",
                        "-c:v", "libwebp", "-quality", "90"));
    }

    /** A 2400x1600 phone photo in Display P3: the profile in APP2, EXIF with GPS beside it. */
    public static Path displayP3Jpeg() {
        return write("display-p3.jpg",
                bytes -> ImageFiles.jpegWithExif(ImageFiles.jpegWithIcc(bytes, ImageFiles.displayP3Profile()), 1),
                ffmpeg("photo-2400x1600.jpg", "-f", "lavfi", "-i", "testsrc2=s=2400x1600:d=1", "-frames:v", "1",
                        "-q:v", "2"));
    }

    /** A 2400x1600 PNG in Display P3 ({@code iCCP}). */
    public static Path displayP3Png() {
        return write("display-p3.png",
                bytes -> ImageFiles.pngWithChunk(bytes, "iCCP", ImageFiles.iccpData(ImageFiles.displayP3Profile())),
                ffmpeg("photo-2400x1600.png", "-f", "lavfi", "-i", "testsrc2=s=2400x1600:d=1", "-frames:v", "1"));
    }

    /** A 2400x1600 WebP in Display P3 ({@code ICCP}), with an EXIF chunk. */
    public static Path displayP3Webp() {
        return write("display-p3.webp", bytes -> ImageFiles.webpExtended(bytes, 2400, 1600,
                "ICCP", ImageFiles.displayP3Profile(), "EXIF", ImageFiles.exifTiff(1)),
                ffmpeg("photo-2400x1600.webp", "-f", "lavfi", "-i", "testsrc2=s=2400x1600:d=1", "-frames:v", "1",
                        "-c:v", "libwebp", "-quality", "90"));
    }

    /** An animated WebP, one second of 10 frames, as FFmpeg's own animated WebP encoder writes it. */
    public static Path animatedWebp() {
        return ffmpeg("animated.webp", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=10:d=1", "-loop", "0",
                "-c:v", "libwebp_anim");
    }

    /** An animated PNG (APNG), one second of 10 frames. */
    public static Path apng() {
        return ffmpeg("animated.png", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=10:d=1", "-plays", "0", "-f", "apng");
    }

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
            Path partial = DIR.resolve(name + "." + ProcessHandle.current().pid() + ".part");
            Files.write(partial, transform.apply(in));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fixture FFmpeg writes from these arguments (its output file last), made once per checkout. */
    public static Path ffmpeg(String name, String... args) {
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
            Path partial = DIR.resolve("partial-" + ProcessHandle.current().pid() + "-" + name.replace(ext, "") + ext);
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

    static byte[] withExif(byte[] jpeg, int orientation) {
        return ImageFiles.jpegWithExif(jpeg, orientation);
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
        ImageFiles.pngChunk(out, "IHDR", ihdr.array());
        ImageFiles.pngChunk(out, "IDAT", Arrays.copyOf(idat, n));
        ImageFiles.pngChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }
}
