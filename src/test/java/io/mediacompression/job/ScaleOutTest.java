package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.LmsStandIn;
import io.mediacompression.support.PacedFfmpeg;
import io.mediacompression.support.RedisServer;
import io.mediacompression.support.ServiceProcess;
import io.mediacompression.support.WorkDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances as their own JVMs on one redis-server and one shared WORK_DIR, as a cluster runs them: one `api`
 * and two `worker`s (WORKERS=1 each), JOB_QUEUE=redis. Redis keeps an append-only file written before each answer
 * (appendfsync always): a Redis killed and started again has every job it acknowledged. Run in order; the last test
 * kills a worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest {

    private static final String CONFIRM = "/confirm";
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    private Path root;
    private RedisServer redis;
    private LmsStandIn lms;
    private Path sharedWorkDir;
    private Path output;
    private ServiceProcess api;
    private final Map<String, ServiceProcess> workers = new HashMap<>();

    @BeforeAll
    void startCluster(@TempDir Path root) throws Exception {
        this.root = root;
        redis = RedisServer.withAppendOnlyFile();
        lms = new LmsStandIn();
        sharedWorkDir = Files.createDirectories(root.resolve("shared-work"));
        output = root.resolve("shared-output");
        // slow enough to be killed in the middle of a video
        Map<String, String> paced = Map.of("ffmpeg.path", PacedFfmpeg.in(root));
        // the three JVMs start side by side; the ones that started are stopped by stopCluster if another did not
        CompletableFuture<ServiceProcess> apiStart = CompletableFuture.supplyAsync(() -> start("api", "api", Map.of()));
        CompletableFuture<ServiceProcess> w1 = CompletableFuture.supplyAsync(() -> start("worker", "w1", paced));
        CompletableFuture<ServiceProcess> w2 = CompletableFuture.supplyAsync(() -> start("worker", "w2", paced));
        api = apiStart.exceptionally(failed -> null).join();
        workers.put("w1", w1.exceptionally(failed -> null).join());
        workers.put("w2", w2.exceptionally(failed -> null).join());
        CompletableFuture.allOf(apiStart, w1, w2).join();
    }

    private ServiceProcess start(String role, String name, Map<String, String> systemProperties) {
        try {
            return new ServiceProcess(root.resolve(name), env(role, name), systemProperties);
        } catch (Exception e) {
            throw new IllegalStateException("instance " + name + " did not start", e);
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        List<ServiceProcess> instances = new ArrayList<>(workers.values());
        instances.add(api);
        for (ServiceProcess instance : instances) {
            if (instance != null) {
                instance.close();
            }
        }
        lms.close();
        redis.close();
    }

    @Test
    @Order(1)
    void uploads_to_the_api_instance_are_compressed_by_both_workers_and_delivered_once() throws Exception {
        List<String> ids = List.of("s-0", "s-1", "s-2", "s-3", "s-4", "s-5", "s-6", "s-7");
        for (String id : ids) {
            assertThat(api.upload(Fixtures.jpeg(), "a.jpg", id).statusCode()).isEqualTo(200);
        }
        Set<String> instances = new HashSet<>();
        for (String id : ids) {
            instances.add(awaitStatus(id, "completed").path("instance").asText());
        }
        assertThat(instances).containsExactlyInAnyOrder("w1", "w2");
        for (String id : ids) {
            assertThat(confirmationsOf(id)).as("confirmations of " + id).isEqualTo(1);
        }
        assertThat(files(output.resolve("images"))).hasSize(ids.size());
        assertThat(WorkDir.filesLeft(sharedWorkDir)).isEmpty();
        awaitStreamEmpty(); // every entry acknowledged and removed, just after its job's last status
    }

    @Test
    @Order(2)
    void a_worker_instance_answers_nothing_but_observe() throws Exception {
        ServiceProcess worker = workers.get("w1");
        assertThat(worker.get("/status/s-0").statusCode()).isEqualTo(404);
        assertThat(worker.get("/openapi.yaml").statusCode()).isEqualTo(404);
        assertThat(worker.upload(Fixtures.jpeg(), "a.jpg", "on-a-worker").statusCode()).isEqualTo(404);
        assertThat(worker.get("/observe/health/live").statusCode()).isEqualTo(200);
        assertThat(worker.get("/observe/metrics").body()).contains("media_queue_depth", "media_queue_oldest_seconds");
        assertThat(api.status("on-a-worker").path("status").asText()).isEqualTo("not_found");
        assertThat(WorkDir.filesLeft(sharedWorkDir)).isEmpty();
    }

    @Test
    @Order(3)
    void a_redis_restart_during_the_run_loses_no_job() throws Exception {
        List<String> ids = List.of("r-0", "r-1", "r-2", "r-3", "r-4");
        for (String id : ids) {
            assertThat(api.upload(Fixtures.jpeg(), "a.jpg", id).statusCode()).isEqualTo(200);
        }
        redis.stop(); // SIGKILL: only the append-only file survives
        Thread.sleep(1500); // Redis stays away for a moment while the workers run
        redis.start();
        for (String id : ids) {
            awaitStatus(id, "completed");
            assertThat(confirmationsOf(id)).as("confirmations of " + id).isEqualTo(1);
        }
        // the workers' heartbeats could not reach Redis either: no job was taken for one of a vanished instance
        assertThat(workerLines()).noneMatch(l -> l.contains("failed as interrupted") || l.contains("Taking over"));
        assertThat(files(output.resolve("images"))).hasSize(8 + ids.size());
        assertThat(WorkDir.filesLeft(sharedWorkDir)).isEmpty();
        awaitStreamEmpty();
    }

    @Test
    @Order(4)
    void a_worker_killed_in_the_middle_of_a_job_has_it_finished_by_the_other_and_delivered_once() throws Exception {
        assertThat(api.upload(Fixtures.small480p(), "clip.mp4", "v-1").statusCode()).isEqualTo(200);
        String holder = api.awaitStatus("v-1", "processing", JOB_TIMEOUT).path("instance").asText();
        ServiceProcess victim = workers.get(holder);
        assertThat(victim).as("processing on " + holder).isNotNull();
        long ffmpeg = victim.awaitFfmpeg();
        victim.kill();
        // a killed JVM's FFmpeg run goes on: stop it, as the end of its container would
        ProcessHandle.of(ffmpeg).ifPresent(ProcessHandle::destroyForcibly);

        JsonNode done = awaitStatus("v-1", "completed");
        String survivor = holder.equals("w1") ? "w2" : "w1";
        assertThat(done.path("instance").asText()).isEqualTo(survivor);
        assertThat(workers.get(survivor).lines()).anyMatch(l -> l.contains("Taking over the job of a worker"));
        assertThat(confirmationsOf("v-1")).isEqualTo(1);
        assertThat(files(output.resolve("videos"))).hasSize(1);
        assertThat(WorkDir.filesLeft(sharedWorkDir)).isEmpty();
        awaitStreamEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------

    private Map<String, String> env(String role, String instance) {
        Map<String, String> env = new HashMap<>();
        env.put("ROLE", role);
        env.put("INSTANCE_ID", instance);
        env.put("JOB_QUEUE", "redis");
        env.put("REDIS_URL", redis.url());
        env.put("WORK_DIR", sharedWorkDir.toString());
        env.put("OUTPUT_DIR", output.toString());
        env.put("CLIENT_CONFIRM_API", lms.url(CONFIRM));
        env.put("WORKERS", "1");
        env.put("SWEEP_INTERVAL", "500ms");
        env.put("JOBS_STALE_AFTER", "3s");
        env.put("LOG_FORMAT", "text");
        return env;
    }

    /** Waits on the API instance; a job that ends otherwise fails the test with what the workers logged as errors. */
    private JsonNode awaitStatus(String mediaId, String expected) throws Exception {
        try {
            return api.awaitStatus(mediaId, expected, JOB_TIMEOUT);
        } catch (AssertionError e) {
            List<String> errors = workerLines().stream().filter(l -> l.contains(" ERROR ") || l.startsWith("\t")
                    || l.contains("Exception")).toList();
            throw new AssertionError(e.getMessage() + "; the workers' errors: " + String.join("\n", errors), e);
        }
    }

    private List<String> workerLines() {
        return workers.values().stream().flatMap(w -> w.lines().stream()).toList();
    }

    private long confirmationsOf(String mediaId) {
        return lms.received(CONFIRM).stream().filter(r -> r.bodyText().contains("\"" + mediaId + "\"")).count();
    }

    private static List<Path> files(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.toList();
        }
    }

    /** The entries of ended jobs are acknowledged and removed; one whose ack waited for Redis goes within seconds. */
    private void awaitStreamEmpty() {
        // Redis tells no one when a stream empties: polled
        Awaitility.await("the shared queue's stream to empty").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> redis.command("XLEN", RedisJobQueue.STREAM), "0"::equals);
    }
}
