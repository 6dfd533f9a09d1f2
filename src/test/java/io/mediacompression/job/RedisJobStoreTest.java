package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mediacompression.media.MediaFormat;
import io.mediacompression.support.RedisServer;
import io.mediacompression.support.ServiceExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis job store against a real redis-server process. */
class RedisJobStoreTest {

    @RegisterExtension
    static final ServiceExtension REDIS = ServiceExtension.neighboursOnly().withRedis();

    private RedisServer redis;

    private final List<RedisJobStore> stores = new ArrayList<>();

    @BeforeEach
    void emptyRedis() throws Exception {
        redis.command("FLUSHALL");
    }

    @AfterEach
    void closeStores() {
        stores.forEach(RedisJobStore::close);
    }

    private RedisJobStore store(String url, Duration retention) {
        return store(url, retention, Duration.ofDays(2));
    }

    private RedisJobStore store(String url, Duration retention, Duration awaitingRetention) {
        RedisJobStore store = new RedisJobStore(RedisJobStore.connect(url), retention, awaitingRetention);
        stores.add(store);
        return store;
    }

    private RedisJobStore store() {
        return store(redis.url(), Duration.ofDays(1));
    }

    private static Job queued(String mediaId) {
        String jobId = UUID.randomUUID().toString();
        return Job.queued(jobId, mediaId, MediaFormat.MP4, "/work/" + jobId + "/in.mp4");
    }

    private static String key(String mediaId) {
        return "mcs:job:" + mediaId;
    }

    @Test
    void exactly_one_of_many_racing_claims_from_two_instances_takes_a_media_id() throws Exception {
        List<RedisJobStore> instances = List.of(store(), store());
        int claimsPerId = 16;
        ExecutorService pool = Executors.newFixedThreadPool(claimsPerId);
        try {
            for (int round = 0; round < 20; round++) {
                String mediaId = "race-" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Job> contenders = new ArrayList<>();
                List<Future<Optional<Job>>> answers = new ArrayList<>();
                for (int i = 0; i < claimsPerId; i++) {
                    Job contender = queued(mediaId);
                    RedisJobStore instance = instances.get(i % 2);
                    contenders.add(contender);
                    answers.add(pool.submit(() -> {
                        go.await();
                        return instance.claim(contender);
                    }));
                }
                go.countDown();
                List<Job> winners = new ArrayList<>();
                List<Job> holdersSeenByLosers = new ArrayList<>();
                for (int i = 0; i < claimsPerId; i++) {
                    Optional<Job> holder = answers.get(i).get();
                    if (holder.isEmpty()) {
                        winners.add(contenders.get(i));
                    } else {
                        holdersSeenByLosers.add(holder.get());
                    }
                }
                assertThat(winners).as("claims that took %s", mediaId).hasSize(1);
                assertThat(holdersSeenByLosers).hasSize(claimsPerId - 1).containsOnly(winners.get(0));
                assertThat(instances.get(0).find(mediaId)).contains(winners.get(0));
                assertThat(instances.get(1).find(mediaId)).contains(winners.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void no_job_is_stale_until_redis_has_run_for_the_stale_time_also_for_an_instance_that_saw_no_outage()
            throws Exception {
        RedisJobStore cutOff = store();
        RedisJobStore other = store(); // a short outage can pass unseen: its commands wait and are retried
        redis.stop();
        assertThatThrownBy(() -> cutOff.find("m1")).isInstanceOf(JobStoreUnavailable.class);
        redis.start();
        assertThat(other.claim(queued("m1"))).isEmpty();
        redis.command("ZADD", "mcs:active", "1", "m1"); // its last heartbeat long ago, as one sent before the outage

        // with a stale time of one second: Redis has run for less than that, nobody could send a heartbeat
        assertThat(other.staleJobs(Instant.now().minusSeconds(1))).isEmpty();
        assertThat(cutOff.staleJobs(Instant.now().minusSeconds(1))).isEmpty();
        Awaitility.await("Redis up for 2 s").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> redis.command("INFO", "server").lines().filter(l -> l.startsWith("uptime_in_seconds:"))
                        .map(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElse(0L) >= 2);
        assertThat(other.staleJobs(Instant.now().minusSeconds(1))).extracting(Job::mediaId).containsExactly("m1");
        assertThat(cutOff.staleJobs(Instant.now().minusSeconds(1))).extracting(Job::mediaId).containsExactly("m1");
    }

    @Test
    void a_job_holds_its_media_id_while_active_and_frees_it_when_finished() {
        RedisJobStore store = store();
        Job first = queued("m1");
        assertThat(store.claim(first)).isEmpty();
        assertThat(store.claim(queued("m1"))).contains(first);
        Job processing = first.processing();
        assertThat(store.update(processing)).isTrue();
        assertThat(store.claim(queued("m1"))).contains(processing);
        assertThat(store.update(processing.failed("cannot decode"))).isTrue();
        Job second = queued("m1");
        assertThat(store.claim(second)).isEmpty();
        assertThat(store.find("m1")).contains(second);
    }

    @Test
    void an_update_replaces_only_the_record_of_the_same_job() {
        RedisJobStore store = store();
        Job old = queued("m1");
        store.claim(old);
        assertThat(store.update(old.failed("boom"))).isTrue();
        Job newer = queued("m1");
        assertThat(store.claim(newer)).isEmpty();
        assertThat(store.update(old.deliveredTo("/late.mp4").completed())).isFalse();
        assertThat(store.find("m1")).contains(newer);
        assertThat(store.update(queued("never-claimed"))).isFalse();
        assertThat(store.find("never-claimed")).isEmpty();
    }

    @Test
    void release_removes_the_record_only_while_it_belongs_to_the_job() {
        RedisJobStore store = store();
        Job refused = queued("m1");
        store.claim(refused);
        store.release(refused);
        assertThat(store.find("m1")).isEmpty();

        Job holder = queued("m1");
        store.claim(holder);
        store.release(refused);
        assertThat(store.find("m1")).contains(holder);
    }

    @Test
    void find_reads_back_every_field_the_job_was_stored_with() throws Exception {
        RedisJobStore store = store();
        Job job = queued("m1");
        store.claim(job);
        Job progressing = job.processing().withProgress(42);
        store.update(progressing);
        assertThat(store.find("m1")).contains(progressing);
        assertThat(store.find("unknown")).isEmpty();
        // readable with redis-cli, in the contract's words
        assertThat(redis.command("GET", key("m1"))).contains("\"state\":\"processing\"", "\"progress\":42");
    }

    @Test
    void an_instance_reads_the_progress_another_instance_wrote_though_it_read_the_job_before() {
        RedisJobStore api = store();
        RedisJobStore worker = store();
        Job job = queued("m1");
        worker.claim(job);
        Job started = job.processing().withProgress(10);
        worker.update(started);
        assertThat(api.find("m1")).contains(started);
        assertThat(api.find("m1")).contains(started);

        Job further = started.withProgress(60);
        worker.update(further);
        assertThat(api.find("m1")).contains(further);
        worker.update(further.deliveredTo("/out.mp4").completed());
        assertThat(api.find("m1")).hasValueSatisfying(found -> assertThat(found.status()).isEqualTo("completed"));
    }

    @Test
    void a_finished_jobs_record_expires_after_the_retention_and_an_active_one_never_does() throws Exception {
        RedisJobStore store = store(redis.url(), Duration.ofMillis(300));
        Job job = queued("m1");
        store.claim(job);
        assertThat(redis.command("PTTL", key("m1"))).isEqualTo("-1");
        store.update(job.processing());
        assertThat(redis.command("PTTL", key("m1"))).isEqualTo("-1");
        store.update(job.processing().deliveredTo("/out/x.mp4").completed());
        assertThat(Long.parseLong(redis.command("PTTL", key("m1")))).isBetween(1L, 300L);

        // Redis expires the key on its own clock and tells no one: ask until it is gone
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> store.find("m1").isEmpty());
        assertThat(store.find("m1")).isEmpty();
    }

    @Test
    void a_record_awaiting_confirmation_expires_when_no_instance_ends_it() throws Exception {
        RedisJobStore store = store(redis.url(), Duration.ofDays(1), Duration.ofMillis(300));
        Job job = queued("m1");
        store.claim(job);
        store.update(job.processing().compressedTo("/work/out.mp4").inState(JobState.AWAITING_CONFIRMATION));
        assertThat(Long.parseLong(redis.command("PTTL", key("m1")))).isBetween(1L, 300L);

        // Redis expires the key on its own clock and tells no one: ask until it is gone
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> store.find("m1").isEmpty());
        assertThat(store.find("m1")).isEmpty();
    }

    @Test
    void a_new_claim_on_a_finished_record_does_not_inherit_its_expiry() throws Exception {
        RedisJobStore store = store();
        Job old = queued("m1");
        store.claim(old);
        store.update(old.deliveredTo("/out/x.mp4").completed());
        assertThat(Long.parseLong(redis.command("PTTL", key("m1")))).isPositive();
        store.claim(queued("m1"));
        assertThat(redis.command("PTTL", key("m1"))).isEqualTo("-1");
    }

    @Test
    void connects_with_the_password_and_database_of_the_url() throws Exception {
        String password = "p+ss w@rd/:x";
        try (RedisServer secured = RedisServer.withPassword(password)) {
            RedisJobStore store = store(secured.url() + "/2", Duration.ofDays(1));
            store.claim(queued("m1"));
            assertThat(secured.commandIn(2, "GET", key("m1"))).contains("\"mediaId\":\"m1\"");
            assertThat(secured.commandIn(0, "GET", key("m1"))).isNull();
            stores.remove(store);
            store.close();

            // the client starts without connecting (the service starts while Redis is down): the first call fails
            RedisJobStore wrongPassword = store(secured.url().replace("%40", "%41"), Duration.ofDays(1));
            assertThatThrownBy(() -> wrongPassword.claim(queued("m2")))
                    .satisfies(e -> assertThat(messages(e)).doesNotContain("w@rd", "w%40rd", "w%41rd"));
        }
    }

    @Test
    void a_user_that_may_not_ask_redis_info_still_finds_stale_jobs() throws Exception {
        redis.command("ACL", "SETUSER", "mcs", "on", ">s3cret", "~mcs:*", "+@all", "-info");
        try {
            RedisJobStore store = store("redis://mcs:s3cret@127.0.0.1:" + redis.port(), Duration.ofDays(1));
            assertThat(store.claim(queued("m1"))).isEmpty();
            redis.command("ZADD", "mcs:active", "1", "m1");
            assertThat(store.staleJobs(Instant.now())).extracting(Job::mediaId).containsExactly("m1");
        } finally {
            redis.command("ACL", "DELUSER", "mcs");
        }
    }

    @Test
    void connects_as_the_user_of_the_url() throws Exception {
        redis.command("ACL", "SETUSER", "mcs", "on", ">s3cret", "~mcs:*", "+@all");
        try {
            RedisJobStore store = store("redis://mcs:s3cret@127.0.0.1:" + redis.port(), Duration.ofDays(1));
            assertThat(store.claim(queued("m1"))).isEmpty();
            assertThat(redis.command("GET", key("m1"))).contains("\"mediaId\":\"m1\"");
        } finally {
            redis.command("ACL", "DELUSER", "mcs");
        }
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
