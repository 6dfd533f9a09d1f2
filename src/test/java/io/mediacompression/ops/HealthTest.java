package io.mediacompression.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.support.RedisServer;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /observe/health, /live and /ready: no key needed; readiness follows Redis and the work disk, liveness does not. */
class HealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // a redis-server and the service started by each test with its own settings
    @RegisterExtension
    final ServiceExtension app = ServiceExtension.application().withRedisOnly().startedByTest();

    private RedisServer redis;

    @Test
    void readiness_goes_down_while_redis_is_stopped_and_up_when_it_returns_while_liveness_stays_up() throws Exception {
        RunningService service = app.start("redis.url", redis.url());
        assertThat(get(service, "/observe/health/ready").statusCode()).isEqualTo(200);

        redis.stop();
        HttpResponse<String> down = await(service, "/observe/health/ready", 503);
        assertThat(check(down, "redis").path("status").asText()).isEqualTo("DOWN");
        assertThat(get(service, "/observe/health/live").statusCode()).isEqualTo(200);
        assertThat(get(service, "/observe/health").statusCode()).isEqualTo(503);

        redis.start();
        await(service, "/observe/health/ready", 200);
        assertThat(get(service, "/observe/health").statusCode()).isEqualTo(200);
    }

    @Test
    void readiness_is_down_while_work_dir_has_less_free_space_than_the_threshold() throws Exception {
        RunningService service = app.start("work.min-free-mb", Long.toString(Long.MAX_VALUE / (1024 * 1024 * 2)));
        HttpResponse<String> ready = get(service, "/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(check(ready, "work-dir").path("message").asText()).contains("free space");
        assertThat(get(service, "/observe/health/live").statusCode()).isEqualTo(200);
        // what the alert rules in docs/prometheus see
        assertThat(get(service, "/observe/metrics").body()).contains("media_ready 0.0");
    }

    @Test
    void readiness_is_down_while_work_dir_cannot_take_a_file_and_up_again_after() throws Exception {
        RunningService service = app.start();
        assertThat(get(service, "/observe/health/ready").statusCode()).isEqualTo(200);
        // a plain file where WORK_DIR should be: unwritable even for root, unlike permission bits
        Files.delete(service.workDir());
        Files.writeString(service.workDir(), "not a directory");
        HttpResponse<String> ready = get(service, "/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(check(ready, "work-dir").path("message").asText()).contains("not writable");

        Files.delete(service.workDir());
        Files.createDirectory(service.workDir());
        assertThat(get(service, "/observe/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void health_answers_without_a_key_and_shows_no_secret() throws Exception {
        RunningService service = app.start();
        HttpResponse<String> full = get(service, "/observe/health?exposureLevel=full");
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).contains("\"work-dir\"", "\"shutdown\"").doesNotContain(RunningService.KEY);
    }

    private HttpResponse<String> get(RunningService service, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Readiness follows Redis, which tells the service nothing when it goes or comes: polled. */
    private HttpResponse<String> await(RunningService service, String path, int status) {
        return Awaitility.await(path + " to answer " + status).atMost(Duration.ofSeconds(20))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> get(service, path), answer -> answer.statusCode() == status);
    }

    private static JsonNode check(HttpResponse<String> answer, String name) throws Exception {
        for (JsonNode check : JSON.readTree(answer.body()).path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + answer.body());
    }
}
