package io.mediacompression.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an HLS package the way a player and a validator would: playlists, attributes, and every rung decoded by FFmpeg. */
public final class HlsCheck {

    /** A media playlist: its tags and its segments, in order. */
    public record Media(Path file, List<String> lines, String map, List<String> segments, List<Double> durations,
                        int targetDuration) {
        public boolean has(String tag) {
            return lines.stream().anyMatch(l -> l.equals(tag) || l.startsWith(tag + ":"));
        }

        public double duration() {
            return durations.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** One EXT-X-STREAM-INF of the master playlist: its attributes and its URI. */
    public record Variant(Map<String, String> attributes, String uri) {
    }

    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)");

    private HlsCheck() {
    }

    public static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim).filter(l -> !l.isEmpty())
                .toList();
    }

    public static List<Variant> variants(Path master) throws IOException {
        List<String> lines = lines(master);
        List<Variant> variants = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("#EXT-X-STREAM-INF:")) {
                variants.add(new Variant(attributes(lines.get(i)), lines.get(i + 1)));
            }
        }
        return variants;
    }

    public static Map<String, String> attributes(String tagLine) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tagLine.substring(tagLine.indexOf(':') + 1));
        while (m.find()) {
            attributes.put(m.group(1), m.group(2).replace("\"", ""));
        }
        return attributes;
    }

    public static Media media(Path playlist) throws IOException {
        List<String> lines = lines(playlist);
        String map = null;
        int target = -1;
        List<String> segments = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("#EXT-X-MAP:")) {
                map = attributes(l).get("URI");
            } else if (l.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Integer.parseInt(l.substring(l.indexOf(':') + 1));
            } else if (l.startsWith("#EXTINF:")) {
                durations.add(Double.parseDouble(l.substring(8, l.indexOf(','))));
                segments.add(lines.get(++i));
            }
        }
        return new Media(playlist, lines, map, segments, durations, target);
    }

    /** The rung as one fragmented MP4: its init segment followed by its media segments, as a player appends them. */
    public static Path joined(Media media, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(Files.readAllBytes(media.file().resolveSibling(media.map())));
            for (String s : media.segments()) {
                out.write(Files.readAllBytes(media.file().resolveSibling(s)));
            }
        }
        return target;
    }

    /** FFmpeg decodes the whole file: whatever it reports at level error (empty when it decoded every frame cleanly). */
    public static String decodeErrors(Path file) {
        return run("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-").strip();
    }

    /** Frames of the first stream of {@code type} (v or a) when every packet is decoded, and the stream's duration. */
    public static double[] framesAndDuration(Path file, String type) {
        String out = run("ffprobe", "-v", "error", "-count_frames", "-select_streams", type + ":0", "-show_entries",
                "stream=nb_read_frames:format=duration", "-of", "default=nw=1", file.toString());
        return new double[] {number(out, "nb_read_frames"), number(out, "duration")};
    }

    /** The times of the video keyframes, in seconds, rounded to milliseconds. */
    public static List<Double> keyframeTimes(Path file) {
        String out = run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
                "-of", "csv=p=0", file.toString());
        List<Double> times = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] parts = line.trim().split(",");
            if (parts.length >= 2 && parts[1].startsWith("K")) {
                times.add(Math.round(Double.parseDouble(parts[0]) * 1000) / 1000.0);
            }
        }
        return times.stream().sorted().toList();
    }

    private static double number(String out, String key) {
        Matcher m = Pattern.compile(key + "=([0-9.]+)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + List.of(command));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
