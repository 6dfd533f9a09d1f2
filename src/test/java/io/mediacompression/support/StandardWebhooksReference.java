package io.mediacompression.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Standard Webhooks reference library (npm {@code standardwebhooks}, pinned), run with node as an LMS would run
 * it: installed once per build under target/node, then {@code src/test/node/verify-webhook.js} per check.
 */
public final class StandardWebhooksReference {

    private static final String PACKAGE = "standardwebhooks@1.1.1";
    private static final Path PREFIX = Path.of("target", "node").toAbsolutePath();
    private static final Path SCRIPT = Path.of("src", "test", "node", "verify-webhook.js").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private StandardWebhooksReference() {
    }

    /** What the library said about a call: {@code verified}, or {@code rejected: <reason>}. */
    public static String verify(String secret, LmsStandIn.Received call, boolean binaryBody) throws Exception {
        return verify(secret, call.body(), Map.of(
                "webhook-id", String.valueOf(call.header("webhook-id")),
                "webhook-timestamp", String.valueOf(call.header("webhook-timestamp")),
                "webhook-signature", String.valueOf(call.header("webhook-signature"))), binaryBody);
    }

    public static synchronized String verify(String secret, byte[] body, Map<String, String> headers, boolean binaryBody)
            throws Exception {
        install();
        Path dir = Files.createDirectories(PREFIX.resolve("calls"));
        Path bodyFile = Files.createTempFile(dir, "body", ".bin");
        Path headersFile = Files.createTempFile(dir, "headers", ".json");
        try {
            Files.write(bodyFile, body);
            Files.writeString(headersFile, JSON.writeValueAsString(new LinkedHashMap<>(headers)));
            ProcessBuilder node = new ProcessBuilder("node", SCRIPT.toString(), binaryBody ? "bytes" : "text", secret,
                    bodyFile.toString(), headersFile.toString()).redirectErrorStream(true);
            node.environment().put("NODE_PATH", PREFIX.resolve("node_modules").toString());
            Process p = node.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("node did not finish");
            }
            return out;
        } finally {
            Files.deleteIfExists(bodyFile);
            Files.deleteIfExists(headersFile);
        }
    }

    private static void install() throws IOException, InterruptedException {
        if (Files.isDirectory(PREFIX.resolve("node_modules").resolve("standardwebhooks"))) {
            return;
        }
        Files.createDirectories(PREFIX);
        Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save",
                "--prefix", PREFIX.toString(), PACKAGE)).redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            throw new AssertionError("npm install " + PACKAGE + " failed (scripts/install-packages.sh installs npm):\n"
                    + out);
        }
    }
}
