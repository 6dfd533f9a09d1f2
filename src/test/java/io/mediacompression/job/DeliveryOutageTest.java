package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.LmsStandIn;
import io.mediacompression.support.RedisServer;
import io.mediacompression.support.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * While the LMS answers 503, a delivery waiting for its next attempt holds no compression worker: with WORKERS=1 the
 * jobs uploaded after it are compressed and delivered meanwhile, on both kinds of job queue. The outage lasts seconds
 * here instead of a minute (RETRY_* scaled down); what counts is that compression goes on while a retry waits.
 */
class DeliveryOutageTest {

    private static final String CONFIRM = "/confirm";

    private static RedisServer redis;

    @TempDir
    Path root;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServer();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void other_jobs_compress_and_deliver_while_a_confirmation_waits_for_its_retry(String queue) throws Exception {
        try (LmsStandIn lms = new LmsStandIn()) {
            lms.answer(CONFIRM, 503);
            Properties p = new Properties();
            p.setProperty("jobs.workers", "1");
            p.setProperty("client-confirm.url", lms.url(CONFIRM));
            // attempts 1 s, 2 s, 2 s, 2 s, 2 s apart: about 9 s during which the first job's delivery waits
            p.setProperty("retry.max-attempts", "6");
            p.setProperty("retry.initial-delay", "1s");
            p.setProperty("retry.max-delay", "2s");
            p.setProperty("jobs.queue", queue);
            if (queue.equals("redis")) {
                redis.command("FLUSHALL");
                p.setProperty("redis.url", redis.url());
            }
            try (RunningService service = new RunningService(root, p)) {
                assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "a.jpg", "media_id", "waits")
                        .statusCode()).isEqualTo(200);
                lms.await(CONFIRM, 1, Duration.ofSeconds(60));

                for (String id : List.of("next-1", "next-2")) {
                    assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "a.jpg", "media_id", id)
                            .statusCode()).isEqualTo(200);
                }
                // well within the first job's 9 s of retries
                lms.awaitBodyContaining(CONFIRM, "\"next-1\"", Duration.ofSeconds(8));
                lms.awaitBodyContaining(CONFIRM, "\"next-2\"", Duration.ofSeconds(8));
                assertThat(service.statusOf("waits")).as("the first job's delivery is still waiting for the LMS")
                        .isEqualTo("processing");
                assertThat(delivered(root)).as("all three compressed and delivered during the outage").hasSize(3);

                lms.answer(CONFIRM, 200);
                for (String id : List.of("waits", "next-1", "next-2")) {
                    assertThat(AwaitJob.finished(service, id).path("status").asText()).isEqualTo("completed");
                }
                assertThat(delivered(root)).hasSize(3);
                assertThat(service.filesLeftInWorkDir()).isEmpty();
            }
        }
    }

    private static List<Path> delivered(Path root) throws Exception {
        Path images = root.resolve("output").resolve("images");
        if (!Files.isDirectory(images)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(images)) {
            return files.toList();
        }
    }
}
