package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.RedisServer;
import io.mediacompression.support.RunningService;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances of the service behind one load balancer share their jobs through one real redis-server. */
class TwoInstancesOnRedisTest {

    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    private static RedisServer redis;

    @TempDir
    Path root;

    private RunningService a;
    private RunningService b;
    private Path png;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServer();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void startInstances() throws Exception {
        redis.command("FLUSHALL");
        a = RunningService.onRedis(root.resolve("a"), redis.url(), new Properties());
        b = RunningService.onRedis(root.resolve("b"), redis.url(), new Properties());
        png = Files.write(root.resolve("a.png"), PNG_HEAD);
    }

    @AfterEach
    void stopInstances() {
        a.close();
        b.close();
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
        Instant deadline = Instant.now().plusSeconds(30);
        while (redisClients() > 1 && Instant.now().isBefore(deadline)) {
            Thread.sleep(25);
        }
        assertThat(redisClients()).as("connections left besides the one asking").isEqualTo(1);
    }

    private static long redisClients() throws Exception {
        return redis.command("CLIENT", "LIST").lines().count();
    }
}
