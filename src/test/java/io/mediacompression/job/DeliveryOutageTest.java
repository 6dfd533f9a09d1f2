package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.LmsStandIn;
import io.mediacompression.support.RedisServer;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * While the LMS answers 503, a delivery waiting for its next attempt holds no compression worker: with WORKERS=1 the
 * jobs uploaded after it are compressed and delivered meanwhile, on both kinds of job queue. The outage lasts seconds
 * here instead of a minute (RETRY_* scaled down); what counts is that compression goes on while a retry waits.
 */
class DeliveryOutageTest {

    private static final String CONFIRM = "/confirm";

    // a new LMS stand-in, redis-server and service for each queue
    @RegisterExtension
    final ServiceExtension app = ServiceExtension.application()
            .with("jobs.workers", "1")
            .withLms("client-confirm.url", CONFIRM)
            // attempts 1 s, 2 s, 2 s, 2 s, 2 s apart: about 9 s during which the first job's delivery waits
            .with("retry.max-attempts", "6")
            .with("retry.initial-delay", "1s")
            .with("retry.max-delay", "2s")
            .withRedisOnly()
            .startedByTest();

    private LmsStandIn lms;
    private RedisServer redis;

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void other_jobs_compress_and_deliver_while_a_confirmation_waits_for_its_retry(String queue) throws Exception {
        lms.answer(CONFIRM, 503);
        RunningService service = queue.equals("redis")
                ? app.start("jobs.queue", queue, "redis.url", redis.url())
                : app.start("jobs.queue", queue);
        assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "a.jpg", "media_id", "waits").statusCode())
                .isEqualTo(200);
        lms.await(CONFIRM, 1, Duration.ofSeconds(60));

        for (String id : List.of("next-1", "next-2")) {
            assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "a.jpg", "media_id", id).statusCode())
                    .isEqualTo(200);
        }
        // well within the first job's 9 s of retries
        lms.awaitBodyContaining(CONFIRM, "\"next-1\"", Duration.ofSeconds(8));
        lms.awaitBodyContaining(CONFIRM, "\"next-2\"", Duration.ofSeconds(8));
        assertThat(service.statusOf("waits")).as("the first job's delivery is still waiting for the LMS")
                .isEqualTo("processing");
        assertThat(delivered(service.outputDir())).as("all three compressed and delivered during the outage")
                .hasSize(3);

        lms.answer(CONFIRM, 200);
        for (String id : List.of("waits", "next-1", "next-2")) {
            assertThat(AwaitJob.finished(service, id).path("status").asText()).isEqualTo("completed");
        }
        assertThat(delivered(service.outputDir())).hasSize(3);
        assertThat(service.filesLeftInWorkDir()).isEmpty();
    }

    private static List<Path> delivered(Path outputDir) throws Exception {
        Path images = outputDir.resolve("images");
        if (!Files.isDirectory(images)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(images)) {
            return files.toList();
        }
    }
}
