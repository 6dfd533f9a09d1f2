package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mediacompression.support.Fixtures;
import io.mediacompression.support.MediaInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MP4/MOV header reader against the real ffprobe, on files FFmpeg writes the way cameras, phones and editors do:
 * wherever the reader answers, its answer is ffprobe's in every field that planning reads; where it cannot be sure it
 * answers nothing, and ffprobe runs.
 */
class Mp4HeaderTest {

    private static final String SOURCE = "testsrc2=s=320x240:r=30:d=1";
    private static final String TONE = "sine=f=440:d=1";

    static Stream<Arguments> filesTheHeaderReads() {
        return Stream.of(
                file("h264-aac.mp4", "-f", "lavfi", "-i", SOURCE, "-f", "lavfi", "-i", TONE, "-c:v", "libx264",
                        "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"),
                file("h264-aac-faststart.mp4", "-f", "lavfi", "-i", SOURCE, "-f", "lavfi", "-i", TONE, "-c:v",
                        "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", "-movflags", "+faststart"),
                file("h264-aac.mov", "-f", "lavfi", "-i", SOURCE, "-f", "lavfi", "-i", TONE, "-c:v", "libx264",
                        "-preset", "ultrafast", "-c:a", "aac", "-shortest"),
                file("timecode.mov", "-f", "lavfi", "-i", SOURCE, "-f", "lavfi", "-i", TONE, "-c:v", "libx264",
                        "-preset", "ultrafast", "-c:a", "aac", "-shortest", "-timecode", "01:00:00:00"),
                file("rotated.mp4", "-f", "lavfi", "-i", SOURCE, "-c:v", "libx264", "-preset", "ultrafast",
                        "-metadata:s:v", "rotate=90"),
                file("rotated-270.mp4", "-f", "lavfi", "-i", SOURCE, "-c:v", "libx264", "-preset", "ultrafast",
                        "-metadata:s:v", "rotate=270"),
                file("cropped-odd.mp4", "-f", "lavfi", "-i", "testsrc2=s=321x179:r=25:d=1", "-c:v", "libx264",
                        "-preset", "ultrafast", "-pix_fmt", "yuv444p"),
                file("anamorphic.mp4", "-f", "lavfi", "-i", "testsrc2=s=720x576:r=25:d=1", "-vf", "setsar=16/11",
                        "-c:v", "libx264", "-preset", "ultrafast"),
                file("full-range.mp4", "-f", "lavfi", "-i", SOURCE, "-c:v", "libx264", "-preset", "ultrafast",
                        "-pix_fmt", "yuvj420p"),
                file("ten-bit-hlg.mp4", "-f", "lavfi", "-i", SOURCE, "-c:v", "libx264", "-preset", "ultrafast",
                        "-pix_fmt", "yuv420p10le", "-color_trc", "arib-std-b67", "-color_primaries", "bt2020",
                        "-colorspace", "bt2020nc"),
                file("pq-tagged.mp4", "-f", "lavfi", "-i", SOURCE, "-c:v", "libx264", "-preset", "ultrafast",
                        "-color_trc", "smpte2084"),
                file("four-two-two.mp4", "-f", "lavfi", "-i", SOURCE, "-c:v", "libx264", "-preset", "ultrafast",
                        "-pix_fmt", "yuv422p"),
                file("interlaced.mp4", "-f", "lavfi", "-i", "testsrc2=s=720x480:r=30000/1001:d=1", "-c:v",
                        "libx264", "-preset", "ultrafast", "-flags", "+ildct+ilme", "-x264-params", "interlaced=1"),
                file("scaling-matrix.mp4", "-f", "lavfi", "-i", SOURCE, "-c:v", "libx264", "-preset", "medium",
                        "-x264-params", "cqm=jvt"),
                file("baseline-60fps.mp4", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=60:d=1", "-c:v", "libx264",
                        "-preset", "ultrafast", "-profile:v", "baseline"),
                file("surround.mp4", "-f", "lavfi", "-i", SOURCE, "-f", "lavfi", "-i", TONE, "-c:v", "libx264",
                        "-preset", "ultrafast", "-c:a", "aac", "-ac", "6", "-shortest"),
                file("two-audio-tracks.mp4", "-f", "lavfi", "-i", SOURCE, "-f", "lavfi", "-i", TONE, "-f", "lavfi",
                        "-i", "sine=f=880:d=1", "-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset",
                        "ultrafast", "-c:a", "aac", "-shortest"),
                // FFmpeg's encoder says "no SBR" in the config, so the mono stream cannot turn stereo
                file("mono-aac.mp4", "-f", "lavfi", "-i", SOURCE, "-f", "lavfi", "-i", TONE, "-c:v", "libx264",
                        "-preset", "ultrafast", "-c:a", "aac", "-ac", "1", "-shortest"),
                file("audio-first.mp4", "-f", "lavfi", "-i", TONE, "-f", "lavfi", "-i", SOURCE, "-map", "0", "-map",
                        "1", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "64k", "-shortest"));
    }

    static Stream<Arguments> filesLeftToFfprobe() {
        return Stream.of(
                file("hevc.mp4", "-f", "lavfi", "-i", SOURCE, "-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1",
                        "-x265-params", "log-level=error"),
                file("mpeg4-part2.mp4", "-f", "lavfi", "-i", SOURCE, "-c:v", "mpeg4"),
                file("mp3-audio.mov", "-f", "lavfi", "-i", SOURCE, "-f", "lavfi", "-i", TONE, "-c:v", "libx264",
                        "-preset", "ultrafast", "-c:a", "libmp3lame", "-shortest"),
                file("pcm-audio.mov", "-f", "lavfi", "-i", SOURCE, "-f", "lavfi", "-i", TONE, "-c:v", "libx264",
                        "-preset", "ultrafast", "-c:a", "pcm_s16le", "-shortest"),
                file("fragmented.mp4", "-f", "lavfi", "-i", SOURCE, "-c:v", "libx264", "-preset", "ultrafast",
                        "-movflags", "frag_keyframe+empty_moov"),
                file("audio-only.mp4", "-f", "lavfi", "-i", TONE, "-c:a", "aac"),
                file("chapters.mp4", "-f", "lavfi", "-i", SOURCE, "-f", "ffmetadata", "-i", chapters(), "-map", "0",
                        "-map_chapters", "1", "-c:v", "libx264", "-preset", "ultrafast"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filesTheHeaderReads")
    void reads_what_ffprobe_reads(String name, Path file) {
        MediaProbe expected = MediaProbe.parse(MediaInfo.probeJson(file));
        Optional<MediaProbe> read = Mp4Header.read(file);

        assertThat(read).as("the header of " + name).isPresent();
        MediaProbe actual = read.get();
        MediaProbe.VideoStream v = actual.video().orElseThrow();
        MediaProbe.VideoStream e = expected.video().orElseThrow();
        assertThat(v.index()).isEqualTo(e.index());
        assertThat(v.codec()).isEqualTo(e.codec());
        assertThat(v.profile()).isEqualTo(e.profile());
        assertThat(v.width()).isEqualTo(e.width());
        assertThat(v.height()).isEqualTo(e.height());
        assertThat(v.pixelFormat()).isEqualTo(e.pixelFormat());
        assertThat(v.colorTransfer()).isEqualTo(e.colorTransfer());
        assertThat(v.rotation()).isEqualTo(e.rotation());
        assertThat(v.displayWidth()).isEqualTo(e.displayWidth());
        assertThat(v.displayHeight()).isEqualTo(e.displayHeight());
        assertThat(v.frameRate()).isCloseTo(e.frameRate(), within(e.frameRate() * 0.001));
        assertThat(v.bitRate()).isCloseTo(e.bitRate(), within(e.bitRate() / 100 + 1));
        assertThat(actual.durationSeconds()).isCloseTo(expected.durationSeconds(), within(0.001));
        assertThat(actual.bitRate()).isCloseTo(expected.bitRate(), within(expected.bitRate() / 100 + 1));
        assertThat(actual.audio()).extracting(MediaProbe.AudioStream::index)
                .containsExactlyElementsOf(expected.audio().stream().map(MediaProbe.AudioStream::index).toList());
        expected.firstAudio().ifPresent(a -> {
            MediaProbe.AudioStream read0 = actual.firstAudio().orElseThrow();
            assertThat(read0.codec()).isEqualTo(a.codec());
            assertThat(read0.channels()).isEqualTo(a.channels());
            assertThat(read0.bitRate()).isCloseTo(a.bitRate(), within(a.bitRate() / 100 + 1));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filesLeftToFfprobe")
    void leaves_to_ffprobe_what_the_header_cannot_settle(String name, Path file) {
        assertThat(Mp4Header.read(file)).as(name).isEmpty();
    }

    @Test
    void leaves_mono_aac_that_may_hide_parametric_stereo_to_ffprobe(@TempDir Path dir) throws IOException {
        byte[] mono = Files.readAllBytes(Fixtures.ffmpeg("header-mono-aac.mp4", "-f", "lavfi", "-i", SOURCE, "-f",
                "lavfi", "-i", TONE, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-ac", "1", "-shortest"));
        // the AudioSpecificConfig without its "no SBR" extension, as other encoders write mono AAC LC: only the
        // first frame tells FFmpeg whether it decodes to stereo
        int config = indexOf(mono, new byte[] {0x12, 0x08, 0x56, (byte) 0xe5, 0x00});
        mono[config + 2] = 0;
        mono[config + 3] = 0;
        Path plain = Files.write(dir.resolve("plain-mono.mp4"), mono);

        assertThat(Mp4Header.read(plain)).isEmpty();
        assertThat(MediaProbe.parse(MediaInfo.probeJson(plain)).firstAudio()).as("ffprobe still reads it")
                .get().extracting(MediaProbe.AudioStream::channels).isEqualTo(1);
    }

    @Test
    void leaves_a_damaged_or_foreign_file_to_ffprobe(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(faststartClip());
        int moov = indexOf(whole, "moov") - 4;
        int moovSize = ByteBuffer.wrap(whole, moov, 4).getInt();

        // the moov cut short, a box inside claiming more than its parent, a top-level box running past the end
        Path cut = Files.write(dir.resolve("cut.mp4"), java.util.Arrays.copyOf(whole, moov + moovSize / 2));
        byte[] lying = whole.clone();
        int trak = indexOf(lying, "trak") - 4;
        ByteBuffer.wrap(lying, trak, 4).putInt(moovSize * 4);
        Path lyingBox = Files.write(dir.resolve("lying.mp4"), lying);
        Path text = Files.writeString(dir.resolve("text.mp4"), "\0\0\0\u0018ftypisom not a movie at all");

        assertThat(Mp4Header.read(cut)).isEmpty();
        assertThat(Mp4Header.read(lyingBox)).isEmpty();
        assertThat(Mp4Header.read(text)).isEmpty();
    }

    @Test
    void never_fails_on_a_damaged_header_and_answers_only_what_holds_together(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(faststartClip());
        int moov = indexOf(whole, "moov") - 4;
        int moovSize = ByteBuffer.wrap(whole, moov, 4).getInt();
        java.util.Random random = new java.util.Random(19);
        Path damaged = dir.resolve("damaged.mp4");
        for (int i = 0; i < 400; i++) {
            byte[] copy = whole.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                copy[moov + random.nextInt(moovSize)] = (byte) random.nextInt(256);
            }
            Files.write(damaged, copy);
            Optional<MediaProbe> read = Mp4Header.read(damaged);
            read.flatMap(MediaProbe::video).ifPresent(v -> assertThat(v.width()).isPositive());
        }
    }

    // the moov first, so that a damaged one is not also the file's end
    private static Path faststartClip() {
        return Fixtures.ffmpeg("header-faststart-source.mp4", "-f", "lavfi", "-i", SOURCE, "-f", "lavfi", "-i", TONE,
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", "-movflags", "+faststart");
    }

    private static Arguments file(String name, String... ffmpegArgs) {
        return Arguments.of(name, Fixtures.ffmpeg("header-" + name, ffmpegArgs));
    }

    private static String chapters() {
        Path metadata = Path.of("target", "fixtures", "header-chapters.txt").toAbsolutePath();
        try {
            Files.createDirectories(metadata.getParent());
            Files.writeString(metadata, ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\ntitle=One\n"
                    + "[CHAPTER]\nTIMEBASE=1/1000\nSTART=500\nEND=1000\ntitle=Two\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return metadata.toString();
    }

    private static int indexOf(byte[] bytes, String fourcc) {
        return indexOf(bytes, fourcc.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int indexOf(byte[] bytes, byte[] wanted) {
        search:
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (bytes[i + j] != wanted[j]) {
                    continue search;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
