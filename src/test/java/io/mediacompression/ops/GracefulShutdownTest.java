package io.mediacompression.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.RedisServer;
import io.mediacompression.support.ServiceProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIGTERM to the service's JVM, while FFmpeg runs and while the service is idle. FFmpeg is a stand-in script that
 * runs until it is terminated, so the job is still running when the grace period ends.
 */
class GracefulShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String ENDLESS_FFMPEG = """
            #!/bin/bash
            trap 'exit 143' TERM
            while true; do sleep 0.1; done
            """;

    @TempDir
    Path root;

    @Test
    void sigterm_refuses_new_uploads_with_503_and_leaves_the_running_job_recoverable() throws Exception {
        Path ffmpeg = Files.writeString(root.resolve("ffmpeg"), ENDLESS_FFMPEG);
        Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (RedisServer redis = new RedisServer();
             ServiceProcess service = new ServiceProcess(root,
                     Map.of("REDIS_URL", redis.url(), "WORKERS", "1", "SHUTDOWN_TIMEOUT", "3"),
                     Map.of("ffmpeg.path", ffmpeg.toString()))) {
            assertThat(service.upload(Fixtures.landscape1080p(), "clip.mp4", "long-job").statusCode()).isEqualTo(200);
            awaitFfmpegRunning(service);

            service.terminate();

            HttpResponse<String> ready = awaitReadinessDown(service);
            assertThat(ready.statusCode()).isEqualTo(503);
            HttpResponse<String> refused = service.upload(Fixtures.jpeg(), "photo.jpg", "too-late");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(service.awaitExit(Duration.ofSeconds(30))).isTrue();

            JsonNode job = JSON.readTree(redis.command("GET", "mcs:job:long-job"));
            assertThat(job.path("state").asText()).isEqualTo("processing");
            assertThat(Path.of(job.path("stagedFile").asText())).exists();
            assertThat(redis.command("GET", "mcs:job:too-late")).isNull();
            assertThat(service.lines()).anyMatch(l -> l.contains("Job interrupted by shutdown"))
                    .noneMatch(l -> l.contains("Job failed"));
        }
    }

    @Test
    void an_idle_service_keeps_nothing_in_its_temp_directory_and_leaves_nothing_on_sigterm() throws Exception {
        try (ServiceProcess service = new ServiceProcess(root, Map.of(), Map.of())) {
            assertThat(service.get("/observe/health/ready").statusCode()).isEqualTo(200);
            // what a process makes there it may not live to delete (Vert.x made its file cache there and deleted it
            // only when its asynchronous close won the race with the JVM's exit)
            assertThat(service.tmpDir()).isEmptyDirectory();

            service.terminate();

            assertThat(service.awaitExit(Duration.ofSeconds(30))).isTrue();
            assertThat(service.tmpDir()).isEmptyDirectory();
        }
    }

    private static void awaitFfmpegRunning(ServiceProcess service) throws Exception {
        service.awaitLine(l -> l.contains("Compressing:"), Duration.ofSeconds(30));
    }

    /** Readiness of another JVM: polled; what it answers after 5 s at the most. */
    private static HttpResponse<String> awaitReadinessDown(ServiceProcess service) throws Exception {
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(5))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> service.get("/observe/health/ready"), ready -> ready.statusCode() != 200);
        } catch (ConditionTimeoutException stillUp) {
            return service.get("/observe/health/ready");
        }
    }
}
