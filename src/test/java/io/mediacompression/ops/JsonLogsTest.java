package io.mediacompression.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.LmsStandIn;
import io.mediacompression.support.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's stdout as Cloud Logging reads it, for the whole life of three jobs (one confirmation retried, one
 * FFmpeg failure) and a shutdown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The routes a job goes through after intake, whichever thread runs them. */
    private static final Set<String> JOB_ROUTES = Set.of("transcode", "deliver", "upload-to-sftp", "confirm-delivery",
            "store-callback");

    @TempDir
    static Path root;

    private List<JsonNode> lines;

    @BeforeAll
    void run_three_jobs_and_stop() throws Exception {
        try (LmsStandIn lms = new LmsStandIn();
             ServiceProcess service = new ServiceProcess(root, Map.of("WORKERS", "1",
                     "CLIENT_CONFIRM_API", lms.url("/confirm"), "RETRY_INITIAL_DELAY", "10ms", "RETRY_MAX_DELAY", "20ms"),
                     Map.of())) {
            // the first confirmation fails once: its retry runs on a redelivery thread
            lms.answer("/confirm", 500, 200);
            assertThat(service.upload(Fixtures.jpeg(), "photo.jpg", "log-image").statusCode()).isEqualTo(200);
            assertThat(service.upload(Fixtures.landscape1080p(), "clip.mp4", "log-video").statusCode()).isEqualTo(200);
            assertThat(service.upload(Fixtures.truncatedVideo(), "cut.mp4", "log-broken").statusCode()).isEqualTo(200);
            service.awaitStatus("log-image", "completed", Duration.ofSeconds(60));
            service.awaitStatus("log-video", "completed", Duration.ofSeconds(60));
            awaitFinished(service, "log-broken");
            service.terminate();
            assertThat(service.awaitExit(Duration.ofSeconds(30))).isTrue();
            lines = service.lines().stream().map(JsonLogsTest::parse).toList();
        }
    }

    @Test
    void every_line_is_one_json_object_with_severity_message_and_logger() {
        assertThat(lines).hasSizeGreaterThan(20);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.isObject()).isTrue();
            assertThat(line.path("severity").asText()).isIn("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL");
            assertThat(line.path("message").asText()).isNotEmpty();
            assertThat(line.path("logger").asText()).isNotEmpty();
        });
    }

    @Test
    void every_line_of_a_jobs_life_carries_its_media_id_and_route() {
        List<JsonNode> workerLines = lines.stream().filter(l -> l.path("thread").asText().contains("seda://jobs")
                || JOB_ROUTES.contains(l.path("routeId").asText())).toList();
        assertThat(workerLines).isNotEmpty().allSatisfy(line -> {
            assertThat(line.path("mediaId").asText()).as(line.toString()).isIn("log-image", "log-video", "log-broken");
            assertThat(line.path("routeId").asText()).as(line.toString()).isNotEmpty();
        });
        assertThat(messagesOf("log-image")).anyMatch(m -> m.startsWith("Job started")).anyMatch(m -> m.startsWith("Job completed"));
        assertThat(messagesOf("log-video")).anyMatch(m -> m.startsWith("Job started")).anyMatch(m -> m.startsWith("Job completed"));
        assertThat(messagesOf("log-broken")).anyMatch(m -> m.startsWith("Job started")).anyMatch(m -> m.startsWith("Job failed"));
        // a media id shows up in a message only on lines that carry it as a field
        assertThat(lines).filteredOn(l -> l.path("message").asText().contains("log-"))
                .allSatisfy(l -> assertThat(l.path("mediaId").asText()).isNotEmpty());
    }

    @Test
    void a_stack_trace_goes_to_its_own_field_not_into_severity() {
        assertThat(lines).allSatisfy(l -> assertThat(l.path("severity").asText()).doesNotContain("\n", "Exception"));
    }

    private List<String> messagesOf(String mediaId) {
        return lines.stream().filter(l -> mediaId.equals(l.path("mediaId").asText()))
                .map(l -> l.path("message").asText()).toList();
    }

    /** Another JVM sends no event: its /status is polled. */
    private static void awaitFinished(ServiceProcess service, String mediaId) {
        Awaitility.await(mediaId + " to finish").atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> service.status(mediaId).path("status").asText(), s -> !s.matches("queued|processing"));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }
}
