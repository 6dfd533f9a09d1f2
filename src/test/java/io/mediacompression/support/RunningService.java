package io.mediacompression.support;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;

/** The real application with the real route files, on a free port with its own WORK_DIR and OUTPUT_DIR. */
public final class RunningService implements AutoCloseable {

    public static final String KEY = "test-key";

    private final Main main;
    private final int port;
    private final Path workDir;
    private final Path outputDir;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration RECHECK = Duration.ofMillis(250);
    private final ExchangesEnded exchanges = new ExchangesEnded();

    public RunningService(Path root, Properties extra) throws Exception {
        this.port = freePort();
        this.workDir = root.resolve("work");
        this.outputDir = root.resolve("output");
        Properties p = new Properties();
        p.setProperty("camel.server.port", Integer.toString(port));
        p.setProperty("api.apikey", "other-key," + KEY);
        p.setProperty("work.dir", workDir.toString());
        p.setProperty("output.dir", outputDir.toString());
        p.setProperty("camel.main.shutdownTimeout", "1");
        p.putAll(extra);
        main = Application.newMain(p);
        main.start();
        context().getManagementStrategy().addEventNotifier(exchanges);
        ServiceHelper.startService(exchanges);
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

    /** Where the service delivers to when no SFTP server is set (OUTPUT_DIR). */
    public Path outputDir() {
        return outputDir;
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
        try {
            return awaitStatus(mediaId, s -> !s.path("status").asText().equals(status), "other than " + status,
                    Duration.ofMinutes(1)).path("status").asText();
        } catch (AssertionError stillThere) {
            return statusOf(mediaId);
        }
    }

    /**
     * Waits until the job's status is {@code expected}, and returns its status body. Fails at once when the job
     * ends as {@code failed: ...} and that is not what the test waits for.
     */
    public JsonNode awaitStatus(String mediaId, String expected) throws Exception {
        return awaitStatus(mediaId, expected, JOB_TIMEOUT);
    }

    /** {@link #awaitStatus(String, String)} within {@code timeout}. */
    public JsonNode awaitStatus(String mediaId, String expected, Duration timeout) throws Exception {
        return awaitStatus(mediaId, s -> s.path("status").asText().equals(expected), expected, timeout);
    }

    /**
     * Waits until the job's status body matches {@code wanted} ({@code description} says what for the failure
     * message), and returns it. The status is read again each time an exchange of the service ends, since that is
     * when a job's status can have changed, and at least every {@link #RECHECK} for changes made outside a route.
     * Fails at once on a {@code failed: ...} status that {@code wanted} does not take.
     */
    public JsonNode awaitStatus(String mediaId, Predicate<JsonNode> wanted, String description, Duration timeout)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            long seen = exchanges.count();
            JsonNode status = JSON.readTree(status(mediaId).body());
            if (wanted.test(status)) {
                return status;
            }
            if (status.path("status").asText().startsWith("failed")) {
                throw new AssertionError("job " + mediaId + " ended as " + status + " while the test waited for "
                        + description);
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative()) {
                throw new AssertionError("job " + mediaId + " still at " + status + " after " + timeout.toSeconds()
                        + " s, expected " + description);
            }
            exchanges.awaitAfter(seen, left.compareTo(RECHECK) < 0 ? left : RECHECK);
        }
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

    /** Stops the service; what still runs when the test is over gets 0.2 s (production waits SHUTDOWN_TIMEOUT). */
    @Override
    public void close() {
        context().getShutdownStrategy().setTimeUnit(TimeUnit.MILLISECONDS);
        context().getShutdownStrategy().setTimeout(200);
        main.stop();
    }

    /** Counts the exchanges that ended or moved on a step, but for the test's own GET /status. */
    private static final class ExchangesEnded extends EventNotifierSupport {

        private long count;

        ExchangesEnded() {
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreStepEvents(true);
            setIgnoreExchangeCreatedEvent(true);
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.ExchangeEvent e && !"status".equals(e.getExchange().getFromRouteId());
        }

        @Override
        public synchronized void notify(CamelEvent event) {
            count++;
            notifyAll();
        }

        synchronized long count() {
            return count;
        }

        /** Waits until an exchange ends after the {@code seen}-th one, or for {@code timeout} at most. */
        synchronized void awaitAfter(long seen, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (long left = timeout.toNanos(); count == seen && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
