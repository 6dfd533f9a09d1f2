package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.RedisServer;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two instances of the service behind one load balancer share their jobs through one real redis-server. */
class TwoInstancesOnRedisTest {

    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    // one redis-server for the class; two new instances on it for each test, stopped by the extension
    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application().withRedis().startedByTest();

    @TempDir
    Path root;

    private RedisServer redis;
    private RunningService a;
    private RunningService b;
    private Path png;

    @BeforeEach
    void startInstances() throws Exception {
        redis.command("FLUSHALL");
        a = APP.start();
        b = APP.start();
        png = Files.write(root.resolve("a.png"), PNG_HEAD);
    }

    @Test
    void refuses_on_one_instance_a_media_id_that_is_active_on_the_other_with_its_status() throws Exception {
        a.stopWorkers();
        assertThat(a.upload(RunningService.KEY, png, "a.png", "media_id", "shared").statusCode()).isEqualTo(200);

        HttpResponse<String> onB = b.upload(RunningService.KEY, png, "a.png", "media_id", "shared");
        assertThat(onB.statusCode()).isEqualTo(409);
        assertThat(onB.body()).contains("\"mediaId\":\"shared\"", "\"status\":\"queued\"");
        assertThat(b.filesLeftInWorkDir()).isEmpty();
        assertThat(a.stagedUploads()).hasSize(1);
    }

    @Test
    void status_on_one_instance_follows_a_job_that_the_other_runs() throws Exception {
        a.stopWorkers();
        assertThat(a.upload(RunningService.KEY, png, "a.png", "media_id", "seen-by-b").statusCode()).isEqualTo(200);
        assertThat(b.statusOf("seen-by-b")).isEqualTo("queued");

        a.startWorkers();
        assertThat(b.awaitStatusOtherThan("seen-by-b", "queued")).matches(JobStatusTest.LATER_STATUS);
    }

    @Test
    void exactly_one_of_many_simultaneous_uploads_to_both_instances_takes_a_media_id() throws Exception {
        a.stopWorkers();
        b.stopWorkers();
        int uploads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(uploads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                RunningService instance = i % 2 == 0 ? a : b;
                answers.add(pool.submit(() -> {
                    go.await();
                    return instance.upload(RunningService.KEY, png, "a.png", "media_id", "contested");
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                statuses.add(answer.get().statusCode());
            }
            assertThat(statuses).containsOnly(200, 409).filteredOn(s -> s == 200).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(a.stagedUploads().size() + b.stagedUploads().size()).isEqualTo(1);
        assertThat(a.statusOf("contested")).isEqualTo("queued");
    }

    @Test
    void instances_close_their_redis_connections_when_they_stop() throws Exception {
        // the clients connect lazily (a service starts while Redis is down): have both use Redis first
        a.status("any");
        b.status("any");
        assertThat(redisClients()).isGreaterThan(2);
        a.close();
        b.close();
        // the connections close after the services stop, with no event a test can wait on: ask Redis
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25))
                .until(() -> redisClients() <= 1);
        assertThat(redisClients()).as("connections left besides the one asking").isEqualTo(1);
    }

    private long redisClients() throws Exception {
        return redis.command("CLIENT", "LIST").lines().count();
    }
}
