package io.mediacompression.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.Application;
import io.mediacompression.job.JobDirectory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** The real application with the real route files, on a free port with its own WORK_DIR and OUTPUT_DIR. */
public final class RunningService implements AutoCloseable {

    public static final String KEY = "test-key";

    private final Main main;
    private final int port;
    private final Path workDir;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public RunningService(Path root, Properties extra) throws Exception {
        this.port = freePort();
        this.workDir = root.resolve("work");
        Properties p = new Properties();
        p.setProperty("camel.server.port", Integer.toString(port));
        p.setProperty("api.apikey", "other-key," + KEY);
        p.setProperty("work.dir", workDir.toString());
        p.setProperty("output.dir", root.resolve("output").toString());
        p.setProperty("camel.main.shutdownTimeout", "2");
        p.putAll(extra);
        main = Application.newMain(p);
        main.start();
    }

    /** The same application on a shared Redis, as a second instance behind a load balancer would run. */
    public static RunningService onRedis(Path root, String redisUrl, Properties extra) throws Exception {
        Properties p = new Properties();
        p.putAll(extra);
        p.setProperty("redis.url", redisUrl);
        return new RunningService(root, p);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public int port() {
        return port;
    }

    /**
     * Stops the worker route by id: jobs stay in the queue until {@link #startWorkers()}. Stopped, not suspended:
     * a suspended seda consumer may still take the next job with a poll that was already waiting.
     */
    public void stopWorkers() throws Exception {
        context().getRouteController().stopRoute("transcode");
    }

    public void startWorkers() throws Exception {
        context().getRouteController().startRoute("transcode");
    }

    public Path workDir() {
        return workDir;
    }

    /** The uploads staged under WORK_DIR: its files but the job markers. */
    public List<Path> stagedUploads() throws IOException {
        try (Stream<Path> s = Files.walk(workDir)) {
            return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(JobDirectory.MARKER))
                    .toList();
        }
    }

    /** The files left under WORK_DIR once the jobs' clean-up has run: see {@link WorkDir#filesLeft}. */
    public List<Path> filesLeftInWorkDir() throws InterruptedException {
        return WorkDir.filesLeft(workDir);
    }

    public HttpResponse<String> status(String mediaId) throws Exception {
        return get("/status/" + mediaId, KEY);
    }

    /** A GET of any path (with its query), with {@code key} as X-API-Key unless it is null. */
    public HttpResponse<String> get(String pathAndQuery, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code status} field of {@code GET /status/{mediaId}}. */
    public String statusOf(String mediaId) throws Exception {
        HttpResponse<String> answer = status(mediaId);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET /status/" + mediaId + " answered " + answer.statusCode());
        }
        return JSON.readTree(answer.body()).path("status").asText();
    }

    /** Waits until the job's status is no longer {@code status}, and returns the new one (or the old one after a minute). */
    public String awaitStatusOtherThan(String mediaId, String status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        String current = statusOf(mediaId);
        while (current.equals(status) && Instant.now().isBefore(deadline)) {
            Thread.sleep(25);
            current = statusOf(mediaId);
        }
        return current;
    }

    /** A multipart upload streamed from disk; {@code fields} are name/value pairs sent before the file. */
    public HttpResponse<String> upload(String key, Path file, String filename, String... fields) throws Exception {
        return uploadTo("/compress/", key == null ? Map.of() : Map.of("X-API-Key", key), file, filename, fields);
    }

    /** {@link #upload} to any path, with these request headers (a key under either header name, or none). */
    public HttpResponse<String> uploadTo(String path, Map<String, String> headers, Path file, String filename,
                                         String... fields) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(fields[i])
                    .append("\"\r\n\r\n").append(fields[i + 1]).append("\r\n");
        }
        HttpRequest.BodyPublisher body;
        if (file != null) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                    .append(filename).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body = HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofString(head.toString()),
                    HttpRequest.BodyPublishers.ofFile(file),
                    HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
        } else {
            body = HttpRequest.BodyPublishers.ofString(head + "--" + boundary + "--\r\n", StandardCharsets.UTF_8);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body);
        headers.forEach(request::header);
        return send(request);
    }

    /** Sends a request built by the test (see {@link #uri}) with the same client. */
    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Where the service answers, for requests the helpers above do not make. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        main.stop();
    }
}
