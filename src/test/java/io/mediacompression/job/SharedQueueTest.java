package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.Fixtures;
import io.mediacompression.support.RedisServer;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis Stream queue as an API instance sees it: bounded by QUEUE_SIZE, measured for autoscaling. */
class SharedQueueTest {

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application()
            .withRedis()
            .with("jobs.queue", "redis")
            .with("service.role", "api")
            .with("jobs.queue-size", "2");

    private RedisServer redis;
    private RunningService api;

    @Test
    void answers_503_with_retry_after_once_queue_size_jobs_wait_and_shows_depth_and_age_in_metrics() throws Exception {
        for (String id : new String[] {"q-1", "q-2"}) {
            assertThat(api.upload(RunningService.KEY, Fixtures.jpeg(), "a.jpg", "media_id", id).statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> refused = api.upload(RunningService.KEY, Fixtures.jpeg(), "a.jpg", "media_id", "q-3");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("queue is full");
        assertThat(api.statusOf("q-3")).isEqualTo("not_found");
        assertThat(api.stagedUploads()).as("the two queued uploads only").hasSize(2);
        assertThat(redis.command("XLEN", RedisJobQueue.STREAM)).isEqualTo("2");

        String metrics = api.get("/observe/metrics", null).body();
        assertThat(metrics).contains("media_queue_depth 2.0");
        Matcher oldest = Pattern.compile("(?m)^media_queue_oldest_seconds ([0-9.]+)").matcher(metrics);
        assertThat(oldest.find()).isTrue();
        assertThat(Double.parseDouble(oldest.group(1))).isGreaterThan(0.0);
        assertThat(api.statusOf("q-1")).as("an api instance has no workers").isEqualTo("queued");
    }
}
