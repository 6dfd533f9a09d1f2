package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.MediaInfo;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master playlist played in a real browser: Debian's chromium, headless, runs hls.js (from the npm registry, as
 * pinned in src/test/browser/package-lock.json) on a page served by a web server this test starts on the loopback
 * address, next to the package the service delivered to OUTPUT_DIR. The lowest rung is forced first, then the
 * highest; each must play (the video element's clock advancing, its picture the rung's size) with no hls.js error.
 */
class HlsBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BROWSER = Path.of("src", "test", "browser").toAbsolutePath();
    private static final Path NODE_PROJECT = Path.of("target", "browser").toAbsolutePath();

    // the service starts once hls.js and the clip are ready
    @RegisterExtension
    final ServiceExtension app = ServiceExtension.application().startedByTest();

    @TempDir
    Path root;

    @Test
    void chromium_plays_the_lowest_and_the_highest_rung_with_hls_js_without_an_error() throws Exception {
        installHlsJsAndPlaywright();
        Path clip = root.resolve("lecture-640x360.mp4");
        MediaInfo.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=6", "-f", "lavfi", "-i", "sine=f=440:d=6",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                clip.toString());
        Path master;
        RunningService service = app.start("jobs.workers", "1",
                "media.hls.ladder", "360,240",
                "media.hls.segment-seconds", "1");
        assertThat(service.upload(RunningService.KEY, clip, "lecture.mp4", "media_id", "browser", "outputs", "hls")
                .statusCode()).isEqualTo(200);
        JsonNode status = AwaitJob.finished(service, "browser");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        master = Path.of(status.path("hlsPath").asText());

        List<String> requested = new CopyOnWriteArrayList<>();
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> serve(exchange, master.getParent(), requested));
        web.start();
        JsonNode result;
        try {
            String page = "http://127.0.0.1:" + web.getAddress().getPort() + "/";
            // the driver runs beside its node_modules, where require() finds playwright-core
            Files.copy(BROWSER.resolve("play-hls.js"), NODE_PROJECT.resolve("play-hls.js"),
                    StandardCopyOption.REPLACE_EXISTING);
            result = JSON.readTree(node(NODE_PROJECT.resolve("play-hls.js").toString(), page,
                    Files.createDirectories(root.resolve("chromium-profile")).toString()));
        } finally {
            web.stop(0);
        }

        assertThat(result.path("failure").asText("")).isEmpty();
        JsonNode report = result.path("report");
        assertThat(report.path("supported").asBoolean()).isTrue();
        assertThat(report.path("errors")).isEmpty();
        assertThat(report.path("levels")).extracting(l -> l.path("width").asInt() + "x" + l.path("height").asInt())
                .containsExactly("426x240", "640x360");
        assertThat(report.path("levels")).allSatisfy(l -> {
            assertThat(l.path("codecs").asText()).matches("avc1\\.64[0-9a-f]{4},mp4a\\.40\\.2");
            assertThat(l.path("frameRate").asText()).isEqualTo("30.000");
            assertThat(l.path("averageBitrate").asLong()).isPositive().isLessThanOrEqualTo(l.path("bitrate").asLong());
        });
        // the one shared AAC rendition, from the master playlist's EXT-X-MEDIA
        assertThat(report.path("audioTracks")).singleElement().satisfies(t -> {
            assertThat(t.path("groupId").asText()).isEqualTo("audio");
            assertThat(t.path("channels").asText()).isEqualTo("1");
        });
        // (hls.js lists the levels by bit rate, lowest first) it played the lowest rung, then the highest, each for at least a second, showing that rung's picture
        JsonNode played = result.path("played");
        assertThat(played).hasSize(2);
        assertThat(played.get(0).path("level").asInt()).isEqualTo(0);
        assertThat(played.get(0).path("videoHeight").asInt()).isEqualTo(240);
        assertThat(played.get(1).path("level").asInt()).isEqualTo(1);
        assertThat(played.get(1).path("videoHeight").asInt()).isEqualTo(360);
        assertThat(played.get(1).path("currentTime").asDouble()).isGreaterThan(played.get(0).path("currentTime").asDouble());
        assertThat(played).allSatisfy(pl -> assertThat(pl.path("paused").asBoolean()).isFalse());
        // the segments of both rungs and of the audio rendition came from the web server
        assertThat(requested).anyMatch(r -> r.matches("/pkg/240p/segment-\\d{5}\\.m4s"))
                .anyMatch(r -> r.matches("/pkg/360p/segment-\\d{5}\\.m4s"))
                .anyMatch(r -> r.matches("/pkg/audio/segment-\\d{5}\\.m4s"));
    }

    private static void serve(HttpExchange exchange, Path pkg, List<String> requested) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requested.add(path);
        Path file;
        String type;
        if (path.equals("/")) {
            file = BROWSER.resolve("player.html");
            type = "text/html; charset=utf-8";
        } else if (path.equals("/hls.js")) {
            file = NODE_PROJECT.resolve("node_modules/hls.js/dist/hls.js");
            type = "text/javascript";
        } else if (path.startsWith("/pkg/") && !path.contains("..")) {
            file = pkg.resolve(path.substring(5));
            type = Map.of("m3u8", "application/vnd.apple.mpegurl", "m4s", "video/iso.segment", "mp4", "video/mp4")
                    .getOrDefault(path.substring(path.lastIndexOf('.') + 1), "application/octet-stream");
        } else {
            file = null;
            type = null;
        }
        if (file == null || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        byte[] body = Files.readAllBytes(file);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** hls.js and playwright-core as pinned in src/test/browser, installed once per build under target/browser. */
    private static synchronized void installHlsJsAndPlaywright() throws Exception {
        if (Files.isRegularFile(NODE_PROJECT.resolve("node_modules/hls.js/dist/hls.js"))
                && Files.isDirectory(NODE_PROJECT.resolve("node_modules/playwright-core"))) {
            return;
        }
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium (scripts/install-packages.sh installs it)")
                .isExecutable();
        Files.createDirectories(NODE_PROJECT);
        for (String name : List.of("package.json", "package-lock.json")) {
            Files.copy(BROWSER.resolve(name), NODE_PROJECT.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        run(NODE_PROJECT, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    }

    private static String node(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "node";
        System.arraycopy(args, 0, command, 1, args.length);
        String out = run(NODE_PROJECT, 120, command);
        String last = out.strip().substring(out.strip().lastIndexOf('\n') + 1);
        return last;
    }

    private static String run(Path directory, int seconds, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
