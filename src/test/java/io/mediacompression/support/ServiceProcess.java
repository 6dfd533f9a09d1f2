package io.mediacompression.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The service as production runs it: its own JVM started with {@code java}, configured by environment variables,
 * logging to stdout. Every stdout line is kept for the test; {@link #terminate()} sends a real SIGTERM.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final String KEY = "child-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path workDir;
    private final Path tmpDir;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final ServiceClassPath.Archive archive;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Starts the service from the project root with {@code env} added to a minimal environment (PORT, API_KEYS,
     * WORK_DIR and OUTPUT_DIR under {@code root}) and {@code systemProperties} as {@code -D} options, its
     * java.io.tmpdir under {@code root} too, and waits until it answers on its port.
     */
    public ServiceProcess(Path root, Map<String, String> env, Map<String, String> systemProperties) throws Exception {
        this.port = freePort();
        this.workDir = root.resolve("work");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", ServiceClassPath.classPath()));
        this.archive = ServiceClassPath.archive();
        command.addAll(archive.options());
        // what the process makes in its temp directory goes under root too: a killed process cannot delete it
        this.tmpDir = Files.createDirectories(root.resolve("tmp"));
        command.add("-Djava.io.tmpdir=" + tmpDir);
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("io.mediacompression.Application");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("LANG"));
        environment.put("PORT", Integer.toString(port));
        environment.put("API_KEYS", KEY);
        environment.put("WORK_DIR", workDir.toString());
        environment.put("OUTPUT_DIR", root.resolve("output").toString());
        environment.putAll(env);
        process = builder.start();
        reader = new Thread(this::readStdout, "service-stdout");
        reader.setDaemon(true);
        reader.start();
        awaitListening(Duration.ofSeconds(60));
    }

    public int port() {
        return port;
    }

    public Path workDir() {
        return workDir;
    }

    /** The process's java.io.tmpdir. */
    public Path tmpDir() {
        return tmpDir;
    }

    /** Every line the service wrote so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits, woken by each line the service writes, until one matches; fails with all lines after the timeout. */
    public String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            for (long left = timeout.toNanos(); ; left = deadline - System.nanoTime()) {
                Optional<String> line = lines.stream().filter(wanted).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
                if (left <= 0 || !reader.isAlive()) {
                    throw new AssertionError("no such line within " + timeout + ":\n" + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        }
    }

    /** Sends SIGTERM, as a container runtime does on stop (through the handle: Process.destroy() would also close stdout). */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Kills the JVM with SIGKILL, as a crash or an OOM killer would: no shutdown hook, no grace period. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The process's pid, to find the FFmpeg runs it started. */
    public long pid() {
        return process.pid();
    }

    /** Waits until the service's FFmpeg encode is running, and returns its pid: the OS tells no one, polled. */
    public long awaitFfmpeg() {
        return Awaitility.await("FFmpeg to start").atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> ProcessHandle.of(process.pid()).stream()
                        .flatMap(ProcessHandle::descendants)
                        .filter(h -> h.info().command().orElse("").endsWith("ffmpeg"))
                        .findFirst(), Optional::isPresent)
                .orElseThrow().pid();
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (exited) {
            reader.join(5000);
        }
        return exited;
    }

    public int exitValue() {
        return process.exitValue();
    }

    public HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode status(String mediaId) throws Exception {
        return JSON.readTree(get("/status/" + mediaId).body());
    }

    /**
     * Waits until the job's status is {@code expected}, and returns it; fails at once when the job ends as
     * {@code failed: ...} and that is not what the test waits for. Another JVM sends no event: its /status is polled.
     */
    public JsonNode awaitStatus(String mediaId, String expected, Duration timeout) throws Exception {
        return Awaitility.await("status of " + mediaId + " to be " + expected).atMost(timeout)
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> status(mediaId), status -> {
                    String current = status.path("status").asText();
                    if (current.startsWith("failed") && !current.equals(expected)) {
                        throw new AssertionError("job " + mediaId + " ended as " + status
                                + " while the test waited for " + expected);
                    }
                    return current.equals(expected);
                });
    }

    /** {@code POST /compress/} with the file streamed from disk. */
    public HttpResponse<String> upload(Path file, String filename, String mediaId) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"media_id\"\r\n\r\n" + mediaId + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        HttpRequest request = HttpRequest.newBuilder(uri("/compress/"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private void awaitListening(Duration timeout) throws Exception {
        try {
            Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(ConnectException.class)
                    .until(() -> !process.isAlive() || client.send(HttpRequest.newBuilder(uri("/observe/health/live"))
                            .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        } catch (ConditionTimeoutException e) {
            // reported below with what the service wrote
        }
        if (!process.isAlive() || !live()) {
            close();
            throw new IllegalStateException("the service did not start:\n" + String.join("\n", lines));
        }
    }

    private boolean live() throws Exception {
        try {
            return client.send(HttpRequest.newBuilder(uri("/observe/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (ConnectException notListening) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (archive.writes() && process.isAlive()) {
            process.destroy(); // the class-data archive is written on a graceful exit only
            process.waitFor(30, TimeUnit.SECONDS);
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        archive.exited();
    }
}
