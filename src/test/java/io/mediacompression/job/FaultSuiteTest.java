package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.MediaInfo;
import io.mediacompression.support.PacedFfmpeg;
import io.mediacompression.support.RedisServer;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceProcess;
import io.mediacompression.support.WorkDir;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Faults with real processes: the service killed mid-FFmpeg, an instance that never comes back, Redis restarted
 * during a job, a full disk. A job always ends as completed or failed, never stays processing, and nothing is left
 * behind. (SFTP server and LMS down are in the delivery tests: SftpDeliveryTest.)
 */
// each test has its own Redis, service JVMs and directories, and spends most of its time waiting on them
@Execution(ExecutionMode.CONCURRENT)
class FaultSuiteTest {

    private static final int SCHED_IDLE = 5;

    @TempDir
    Path root;

    @Test
    void a_job_whose_service_is_killed_during_ffmpeg_completes_after_the_restart() throws Exception {
        try (RedisServer redis = new RedisServer()) {
            long orphan;
            try (ServiceProcess first = new ServiceProcess(root, env(redis), paced())) {
                assertThat(first.upload(Fixtures.landscape1080p(), "clip.mp4", "crash-1").statusCode()).isEqualTo(200);
                orphan = first.awaitFfmpeg();
                assertThat(schedulingPolicy(orphan)).as("FFmpeg runs at FFMPEG_NICE's default priority, SCHED_IDLE")
                        .isEqualTo(SCHED_IDLE);
                first.kill();
            }
            assertThat(redis.command("GET", "mcs:job:crash-1")).contains("\"state\":\"processing\"");
            assertThat(running(orphan)).as("FFmpeg outlives a SIGKILLed JVM").isTrue();

            try (ServiceProcess second = new ServiceProcess(root, env(redis), Map.of())) {
                JsonNode status = second.awaitStatus("crash-1", "completed", Duration.ofSeconds(60));
                assertThat(running(orphan)).as("the orphan is stopped").isFalse();
                MediaInfo out = MediaInfo.of(Path.of(status.path("filePath").asText()));
                assertThat(out.video().path("codec_name").asText()).isEqualTo("h264");
                assertThat(out.height()).isEqualTo(720);
                assertThat(WorkDir.filesLeft(second.workDir())).isEmpty();
            }
        }
    }

    @Test
    void a_job_whose_instance_never_comes_back_is_failed_as_interrupted_by_another() throws Exception {
        try (RedisServer redis = new RedisServer()) {
            long orphan;
            try (ServiceProcess gone = new ServiceProcess(root.resolve("a"), env(redis), paced())) {
                assertThat(gone.upload(Fixtures.landscape1080p(), "clip.mp4", "lost-1").statusCode()).isEqualTo(200);
                orphan = gone.awaitFfmpeg();
                gone.kill();
            }
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
            Map<String, String> watchful = env(redis);
            watchful.put("SWEEP_INTERVAL", "200ms");
            watchful.put("JOBS_STALE_AFTER", "1s");
            try (ServiceProcess other = new ServiceProcess(root.resolve("b"), watchful, Map.of())) {
                other.awaitStatus("lost-1", "failed: interrupted", Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void a_job_running_while_redis_restarts_finishes_and_its_status_reaches_redis_when_it_is_back() throws Exception {
        try (RedisServer redis = new RedisServer()) {
            Properties p = new Properties();
            p.setProperty("redis.url", redis.url());
            p.setProperty("ffmpeg.path", PacedFfmpeg.in(root)); // the encode outlasts the outage
            p.setProperty("jobs.store-retry-interval", "200ms");
            try (RunningService service = new RunningService(root, p)) {
                assertThat(service.upload(RunningService.KEY, Fixtures.landscape1080p(), "clip.mp4", "media_id", "r1")
                        .statusCode()).isEqualTo(200);
                AwaitJob.until(service, "r1", s -> s.path("status").asText().equals("processing"));
                redis.stop();

                HttpResponse<String> refused = service.upload(RunningService.KEY, Fixtures.jpeg(), "a.jpg", "media_id", "r2");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                awaitDelivered(root.resolve("output").resolve("videos"));

                redis.start(); // without persistence: Redis comes back empty
                AwaitJob.until(service, "r1", s -> s.path("status").asText().equals("completed"));
                awaitRedis(redis, "mcs:job:r1", "\"state\":\"completed\"");
                assertThat(redis.command("GET", "mcs:job:r2")).isNullOrEmpty();
                assertThat(service.filesLeftInWorkDir()).isEmpty();
            }
        }
    }

    @Test
    void starts_while_redis_is_down_answers_503_and_takes_jobs_once_it_is_up() throws Exception {
        try (RedisServer redis = new RedisServer()) {
            redis.stop();
            Properties p = new Properties();
            p.setProperty("redis.url", redis.url());
            try (RunningService service = new RunningService(root, p)) {
                HttpResponse<String> refused = service.upload(RunningService.KEY, Fixtures.jpeg(), "a.jpg", "media_id", "s1");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(service.get("/observe/health/ready", null).statusCode()).isEqualTo(503);
                assertThat(service.filesLeftInWorkDir()).isEmpty();

                redis.start();
                assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "a.jpg", "media_id", "s1").statusCode())
                        .isEqualTo(200);
                assertThat(AwaitJob.finished(service, "s1").path("status").asText()).isEqualTo("completed");
            }
        }
    }

    @Test
    void answers_503_and_stores_nothing_when_the_work_disk_is_below_its_free_space_threshold() throws Exception {
        Properties p = new Properties();
        p.setProperty("work.min-free-mb", Long.toString(Long.MAX_VALUE / (2L << 20)));
        try (RunningService service = new RunningService(root, p)) {
            HttpResponse<String> refused = service.upload(RunningService.KEY, Fixtures.jpeg(), "a.jpg", "media_id", "d1");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("disk space");
            assertThat(service.filesLeftInWorkDir()).isEmpty();
            assertThat(service.status("d1").body()).contains("not_found");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** An FFmpeg slow enough to be killed in the middle of the encode. */
    private Map<String, String> paced() {
        return Map.of("ffmpeg.path", PacedFfmpeg.in(root));
    }

    private static Map<String, String> env(RedisServer redis) {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", redis.url());
        env.put("LOG_FORMAT", "text");
        return env;
    }


    /** The process's scheduling policy, field 41 of /proc/pid/stat. */
    private static int schedulingPolicy(long pid) throws IOException {
        String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Integer.parseInt(text.substring(text.lastIndexOf(')') + 2).split(" ")[38]);
    }

    /** Whether the process runs; a killed one that its new parent has not reaped yet (a zombie) does not. */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text = Files.readString(stat);
        return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
    }

    /** Waits for an MP4 in the folder (which delivery makes): polled, as the folder may not be there yet. */
    private static void awaitDelivered(Path folder) {
        Awaitility.await("an MP4 delivered to " + folder).atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!Files.isDirectory(folder)) {
                        return false;
                    }
                    try (Stream<Path> files = Files.list(folder)) {
                        return files.anyMatch(f -> f.toString().endsWith(".mp4"));
                    }
                });
    }

    /** Waits until Redis holds the key with the text: the service writes it when Redis answers again, polled. */
    private static void awaitRedis(RedisServer redis, String key, String expected) {
        Awaitility.await(key + " to hold " + expected).atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> redis.command("GET", key),
                        value -> value != null && value.contains(expected));
    }
}
