package io.mediacompression.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finishes the package FFmpeg wrote: the master playlist is written again with every attribute RFC 8216 and Apple's
 * authoring spec ask for, measured on the segments as they are (BANDWIDTH the peak segment bit rate,
 * AVERAGE-BANDWIDTH the average, video and audio together; CODECS read from each rung's init segment; RESOLUTION;
 * FRAME-RATE), each media playlist's EXT-X-TARGETDURATION is checked against its segments, and the storyboard's WebVTT
 * file is written beside its sprite.
 */
public final class HlsPackage {

    /** A media playlist as written: its init segment and its segments with their durations. */
    record MediaPlaylist(Path file, String map, List<String> segments, List<Double> durations, int targetDuration) {
    }

    /** What one playlist's segments carry, in bits per second. */
    record Rates(long peak, long average) {
    }

    private HlsPackage() {
    }

    /** Writes master.m3u8 and storyboard.vtt into the package; the renditions, highest first. */
    public static List<Rendition> finish(FfmpegCommand.LadderPlan plan) {
        Path dir = plan.packageDir();
        try {
            for (String name : List.of(FfmpegCommand.POSTER, FfmpegCommand.STORYBOARD)) {
                requireFile(dir.resolve(name));
            }
            Optional<MediaPlaylist> audio = plan.audioChannels().isPresent()
                    ? Optional.of(read(dir.resolve(FfmpegCommand.AUDIO).resolve(FfmpegCommand.VARIANT_PLAYLIST)))
                    : Optional.empty();
            Rates audioRates = audio.map(HlsPackage::rates).orElse(new Rates(0, 0));
            String audioCodec = audio.map(a -> audioCodec(a.file().resolveSibling(a.map()))).orElse(null);

            StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
            audio.ifPresent(a -> master.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(FfmpegCommand.AUDIO)
                    .append("\",NAME=\"Default\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"")
                    .append(plan.audioChannels().get()).append("\",URI=\"").append(FfmpegCommand.AUDIO).append('/')
                    .append(FfmpegCommand.VARIANT_PLAYLIST).append("\"\n"));
            List<Rendition> renditions = new ArrayList<>();
            for (HlsProfile.Rung rung : plan.rungs()) {
                MediaPlaylist playlist = read(dir.resolve(rung.name()).resolve(FfmpegCommand.VARIANT_PLAYLIST));
                Rates video = rates(playlist);
                long bandwidth = video.peak() + audioRates.peak();
                long average = video.average() + audioRates.average();
                String codecs = videoCodec(playlist.file().resolveSibling(playlist.map()))
                        + (audioCodec == null ? "" : "," + audioCodec);
                master.append(String.format(Locale.ROOT,
                        "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,RESOLUTION=%dx%d,FRAME-RATE=%.3f,CODECS=\"%s\"%s%n",
                        bandwidth, average, rung.width(), rung.height(), plan.frameRate(), codecs,
                        audio.isPresent() ? ",AUDIO=\"" + FfmpegCommand.AUDIO + "\"" : ""));
                master.append(rung.name()).append('/').append(FfmpegCommand.VARIANT_PLAYLIST).append('\n');
                renditions.add(new Rendition(rung.width(), rung.height(), bandwidth));
            }
            write(dir.resolve(FfmpegCommand.MASTER), master.toString());
            write(dir.resolve(FfmpegCommand.STORYBOARD_VTT), storyboardVtt(plan.storyboard(), durationOf(plan)));
            return List.copyOf(renditions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file of the package, as paths relative to its folder ({@code 720p/segment-00003.m4s}), sorted. */
    public static List<String> files(Path packageDir) {
        try (Stream<Path> s = Files.walk(packageDir)) {
            return s.filter(Files::isRegularFile).map(p -> packageDir.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes of every file in the package. */
    public static long size(Path packageDir) {
        try (Stream<Path> s = Files.walk(packageDir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    static String storyboardVtt(FfmpegCommand.Storyboard sb, double duration) {
        StringBuilder vtt = new StringBuilder("WEBVTT\n");
        for (int i = 0; i < sb.count(); i++) {
            double start = i * sb.interval();
            double end = Math.min((i + 1) * sb.interval(), Math.max(duration, start + 0.001));
            if (i == sb.count() - 1) {
                end = Math.max(end, duration);
            }
            vtt.append('\n').append(timestamp(start)).append(" --> ").append(timestamp(end)).append('\n')
                    .append(FfmpegCommand.STORYBOARD).append("#xywh=").append(i % sb.columns() * sb.tileWidth())
                    .append(',').append(i / sb.columns() * sb.tileHeight()).append(',').append(sb.tileWidth())
                    .append(',').append(sb.tileHeight()).append('\n');
        }
        return vtt.toString();
    }

    private static String timestamp(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                ms % 1000);
    }

    private static double durationOf(FfmpegCommand.LadderPlan plan) {
        return plan.plan().durationSeconds();
    }

    /** Reads a media playlist; its EXT-X-TARGETDURATION is raised when a segment, rounded, is longer (RFC 8216 4.3.3.1). */
    static MediaPlaylist read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String map = null;
        int target = 0;
        List<String> segments = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith("#EXT-X-MAP:")) {
                int start = line.indexOf("URI=\"") + 5;
                map = line.substring(start, line.indexOf('"', start));
            } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Integer.parseInt(line.substring("#EXT-X-TARGETDURATION:".length()).trim());
            } else if (line.startsWith("#EXTINF:")) {
                String value = line.substring("#EXTINF:".length());
                durations.add(Double.parseDouble(value.substring(0, value.indexOf(',') < 0 ? value.length()
                        : value.indexOf(','))));
                segments.add(lines.get(++i).trim());
            }
        }
        if (map == null || segments.isEmpty()) {
            throw new UnreadableMedia("compression produced an incomplete HLS package");
        }
        int needed = durations.stream().mapToInt(d -> (int) Math.round(d)).max().orElse(1);
        if (needed > target) {
            List<String> fixed = lines.stream().map(l -> l.startsWith("#EXT-X-TARGETDURATION:")
                    ? "#EXT-X-TARGETDURATION:" + needed : l).toList();
            write(file, String.join("\n", fixed) + "\n");
            target = needed;
        }
        return new MediaPlaylist(file, map, List.copyOf(segments), List.copyOf(durations), target);
    }

    static Rates rates(MediaPlaylist playlist) {
        double peak = 0;
        double bits = 0;
        double seconds = 0;
        for (int i = 0; i < playlist.segments().size(); i++) {
            Path segment = playlist.file().resolveSibling(playlist.segments().get(i));
            double b = 8.0 * requireFile(segment);
            double d = playlist.durations().get(i);
            bits += b;
            seconds += d;
            if (d > 0) {
                peak = Math.max(peak, b / d);
            }
        }
        return new Rates((long) Math.ceil(peak), seconds > 0 ? (long) Math.ceil(bits / seconds) : 0);
    }

    /** {@code avc1.PPCCLL}: profile, constraint flags and level from the init segment's avcC box (RFC 6381). */
    static String videoCodec(Path init) {
        byte[] bytes = readAll(init);
        int at = indexOf(bytes, "avcC");
        if (at < 0 || at + 8 > bytes.length) {
            throw new UnreadableMedia("compression produced an HLS rung without H.264 configuration");
        }
        return String.format(Locale.ROOT, "avc1.%02x%02x%02x", bytes[at + 5] & 0xff, bytes[at + 6] & 0xff,
                bytes[at + 7] & 0xff);
    }

    /** {@code mp4a.40.N}: MPEG-4 audio (object type 0x40) and its audio object type from the esds box. */
    static String audioCodec(Path init) {
        byte[] bytes = readAll(init);
        int esds = indexOf(bytes, "esds");
        if (esds < 0) {
            throw new UnreadableMedia("compression produced an HLS audio rendition without AAC configuration");
        }
        try {
            // ES_Descriptor (0x03): ES_ID, flags and the optional fields they announce
            int i = descriptorBody(bytes, expect(bytes, esds + 8, 0x03));
            int flags = bytes[i + 2] & 0xff;
            i += 3;
            if ((flags & 0x80) != 0) {
                i += 2;
            }
            if ((flags & 0x40) != 0) {
                i += 1 + (bytes[i] & 0xff);
            }
            if ((flags & 0x20) != 0) {
                i += 2;
            }
            // DecoderConfigDescriptor (0x04): object type, then 12 bytes, then DecoderSpecificInfo (0x05)
            int config = descriptorBody(bytes, expect(bytes, i, 0x04));
            int objectType = bytes[config] & 0xff;
            int specific = descriptorBody(bytes, expect(bytes, config + 13, 0x05));
            int aot = (bytes[specific] & 0xff) >> 3;
            return String.format(Locale.ROOT, "mp4a.%02x.%d", objectType, aot);
        } catch (ArrayIndexOutOfBoundsException | IllegalStateException e) {
            throw new UnreadableMedia("compression produced an HLS audio rendition without AAC configuration");
        }
    }

    private static int expect(byte[] bytes, int at, int tag) {
        if ((bytes[at] & 0xff) != tag) {
            throw new IllegalStateException("descriptor " + tag + " expected");
        }
        return at;
    }

    // a descriptor's tag is followed by its size in 1-4 bytes, the high bit of each saying whether another follows
    private static int descriptorBody(byte[] bytes, int tag) {
        int i = tag + 1;
        while (i < bytes.length && (bytes[i] & 0x80) != 0 && i < tag + 4) {
            i++;
        }
        return i + 1;
    }

    private static int indexOf(byte[] bytes, String type) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i <= bytes.length - t.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (bytes[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UnreadableMedia("compression produced an incomplete HLS package");
        }
    }

    private static long requireFile(Path file) {
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new UnreadableMedia("compression produced an incomplete HLS package");
            }
            return size;
        } catch (IOException e) {
            throw new UnreadableMedia("compression produced an incomplete HLS package");
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
