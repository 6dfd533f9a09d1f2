package io.mediacompression.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What ffprobe (and a look at the MP4 boxes) says about a file the service produced. */
public record MediaInfo(JsonNode probe, List<String> topLevelBoxes) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static MediaInfo of(Path file) {
        String json = run(List.of("ffprobe", "-v", "error", "-show_streams", "-show_format", "-show_frames",
                "-read_intervals", "%+#1", "-of", "json", file.toString()), false);
        try {
            return new MediaInfo(MAPPER.readTree(json), boxes(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode video() {
        return streams("video").stream().findFirst().orElseThrow(() -> new AssertionError("no video stream"));
    }

    public List<JsonNode> streams(String type) {
        List<JsonNode> found = new ArrayList<>();
        probe.path("streams").forEach(s -> {
            if (type.equals(s.path("codec_type").asText())) {
                found.add(s);
            }
        });
        return found;
    }

    public int width() {
        return video().path("width").asInt();
    }

    public int height() {
        return video().path("height").asInt();
    }

    public String formatName() {
        return probe.path("format").path("format_name").asText();
    }

    public double duration() {
        return probe.path("format").path("duration").asDouble();
    }

    /** The display rotation a player would apply; 0 when none. */
    public int rotation() {
        for (JsonNode side : video().path("side_data_list")) {
            if (side.has("rotation")) {
                return side.path("rotation").asInt();
            }
        }
        return 0;
    }

    /** The first frame's metadata tags (EXIF shows here for JPEG). */
    public Optional<JsonNode> firstFrameTags() {
        JsonNode frames = probe.path("frames");
        return frames.isEmpty() ? Optional.empty() : Optional.of(frames.get(0).path("tags"));
    }

    /** The size of the ICC profile FFmpeg found on the first frame; 0 when it found none. */
    public int iccProfileSize() {
        JsonNode frames = probe.path("frames");
        if (!frames.isEmpty()) {
            for (JsonNode side : frames.get(0).path("side_data_list")) {
                if ("ICC profile".equals(side.path("side_data_type").asText())) {
                    return side.path("size").asInt();
                }
            }
        }
        return 0;
    }

    /** MP4 with `+faststart`: the `moov` box comes before `mdat`. */
    public boolean faststart() {
        int moov = topLevelBoxes.indexOf("moov");
        int mdat = topLevelBoxes.indexOf("mdat");
        return moov >= 0 && mdat >= 0 && moov < mdat;
    }

    /** SSIM of two pictures or videos of the same size, 1.0 meaning identical. */
    public static double ssim(Path a, Path b) {
        String out = run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-i", a.toString(), "-i", b.toString(),
                "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"), true);
        Matcher m = Pattern.compile("All:([0-9.]+)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no SSIM in: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** Runs FFmpeg with these arguments, for expected pictures made in a test. */
    public static void ffmpeg(String... args) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
        command.addAll(List.of(args));
        run(command, true);
    }

    private static List<String> boxes(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            long remaining = Files.size(file);
            byte[] header = new byte[16];
            while (remaining >= 8 && in.readNBytes(header, 0, 8) == 8) {
                long size = ByteBuffer.wrap(header, 0, 4).getInt() & 0xFFFFFFFFL;
                String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
                long headerSize = 8;
                if (size == 1) {
                    in.readNBytes(header, 8, 8);
                    size = ByteBuffer.wrap(header, 8, 8).getLong();
                    headerSize = 16;
                }
                if (size < headerSize || !type.chars().allMatch(c -> c >= 32 && c < 127)) {
                    break;
                }
                names.add(type);
                in.skipNBytes(size - headerSize);
                remaining -= size;
            }
        } catch (java.io.EOFException e) {
            // a file that is not MP4 stops the walk
        }
        return names;
    }

    /** The command's stdout, or its stdout and stderr merged when {@code withErrors}. */
    /** ffprobe's answer with the arguments the service gives it (streams and container as JSON). */
    public static String probeJson(Path file) {
        return run(List.of("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", file.toString()),
                false);
    }

    private static String run(List<String> command, boolean withErrors) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (withErrors) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            Process p = builder.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
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
