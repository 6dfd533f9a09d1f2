package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mediacompression.media.MediaFormat;
import io.mediacompression.support.RedisServer;
import io.mediacompression.support.ServiceExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Job records kept by the instance that read them (Redis client tracking), against a real redis-server: kept while
 * nothing changes, read again once anyone changes them, and not kept at all while Redis cannot tell of changes.
 */
class RecordCacheTest {

    @RegisterExtension
    static final ServiceExtension REDIS = ServiceExtension.neighboursOnly().withRedis();

    private static final Pattern GET_CALLS = Pattern.compile("cmdstat_get:calls=(\\d+)");

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

    private RedisJobStore store(String url) {
        RedisJobStore store = new RedisJobStore(RedisJobStore.connect(url), Duration.ofDays(1), Duration.ofDays(2));
        stores.add(store);
        return store;
    }

    /** A store as the service runs it: its upkeep has run once, so it tracks what it reads. */
    private RedisJobStore trackingStore(String url) {
        RedisJobStore store = store(url);
        store.maintain();
        return store;
    }

    private static Job queued(String mediaId) {
        String jobId = UUID.randomUUID().toString();
        return Job.queued(jobId, mediaId, MediaFormat.MP4, "/work/" + jobId + "/in.mp4");
    }

    /** How many GETs the server has answered. */
    private static long gets(RedisServer server) throws IOException {
        Matcher calls = GET_CALLS.matcher(server.command("INFO", "commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    private static ConditionFactory soon() {
        return Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10));
    }

    @Test
    void a_record_read_again_and_again_is_read_from_redis_once_until_another_instance_changes_it() throws Exception {
        RedisJobStore worker = store(redis.url());
        Job job = queued("m1");
        worker.claim(job);
        // tracking from here on: the claim's invalidation, had it come later, would rightly have made a second read
        RedisJobStore api = trackingStore(redis.url());

        long before = gets(redis);
        for (int i = 0; i < 20; i++) {
            assertThat(api.find("m1")).contains(job);
            assertThat(api.find("unknown")).isEmpty();
        }
        assertThat(gets(redis) - before).as("GETs Redis answered for 40 reads of two ids").isEqualTo(2);

        Job started = job.processing().withProgress(40);
        worker.update(started);
        soon().untilAsserted(() -> assertThat(api.find("m1")).contains(started));
        Job done = started.deliveredTo("/out/m1.mp4").completed();
        worker.update(done);
        soon().untilAsserted(() -> assertThat(api.find("m1")).contains(done));
        worker.claim(queued("unknown"));
        soon().untilAsserted(() -> assertThat(api.find("unknown")).isPresent());
    }

    @Test
    void an_instance_reads_its_own_change_at_once() {
        RedisJobStore store = trackingStore(redis.url());
        Job job = queued("m1");
        store.claim(job);
        assertThat(store.find("m1")).contains(job);
        for (int progress = 1; progress <= 50; progress++) {
            Job further = job.processing().withProgress(progress);
            store.update(further);
            assertThat(store.find("m1")).contains(further);
        }
        store.release(job.processing().withProgress(50));
        assertThat(store.find("m1")).isEmpty();
    }

    @Test
    void changes_made_in_redis_itself_are_seen_a_write_a_delete_an_expiry_and_a_flush() throws Exception {
        RedisJobStore store = trackingStore(redis.url());
        Job job = queued("m1");
        store.claim(job);
        assertThat(store.find("m1")).contains(job);

        Job edited = job.processing().withProgress(77);
        redis.command("SET", "mcs:job:m1", JobJson.write(edited));
        soon().untilAsserted(() -> assertThat(store.find("m1")).contains(edited));
        redis.command("DEL", "mcs:job:m1");
        soon().untilAsserted(() -> assertThat(store.find("m1")).isEmpty());

        redis.command("SET", "mcs:job:m2", JobJson.write(queued("m2")), "PX", "200");
        assertThat(store.find("m2")).isPresent();
        soon().untilAsserted(() -> assertThat(store.find("m2")).isEmpty());

        store.claim(queued("m3"));
        assertThat(store.find("m3")).isPresent();
        redis.command("FLUSHALL");
        soon().untilAsserted(() -> assertThat(store.find("m3")).isEmpty());
    }

    @Test
    void while_redis_is_down_no_kept_record_is_answered_and_after_a_restart_none_from_before() throws Exception {
        try (RedisServer own = new RedisServer()) {
            RedisJobStore store = trackingStore(own.url());
            store.claim(queued("m1"));
            assertThat(store.find("m1")).isPresent();

            own.stop();
            soon().untilAsserted(() -> assertThatThrownBy(() -> store.find("m1"))
                    .isInstanceOf(JobStoreUnavailable.class));
            own.start();
            // Redis came back without its data; the upkeep's next round tracks again
            assertThat(store.find("m1")).isEmpty();
            store.maintain();
            long before = gets(own);
            assertThat(store.find("m1")).isEmpty();
            assertThat(store.find("m1")).isEmpty();
            assertThat(gets(own) - before).as("GETs after tracking resumed").isEqualTo(1);
            store.claim(queued("m1"));
            assertThat(store.find("m1")).isPresent();
        }
    }

    @Test
    void a_redis_that_stops_answering_without_closing_its_connections_gets_no_kept_record_answered() throws Exception {
        try (RedisServer own = new RedisServer()) {
            RedisJobStore store = trackingStore(own.url());
            store.claim(queued("m1"));
            assertThat(store.find("m1")).isPresent();

            own.freeze(true);
            try {
                // the tracking connection's pings go unanswered: within seconds nothing kept is answered any more
                Awaitility.await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> assertThatThrownBy(() -> store.find("m1"))
                                .isInstanceOf(JobStoreUnavailable.class));
            } finally {
                own.freeze(false);
            }
        }
    }

    @Test
    void a_redis_user_that_may_not_track_or_not_subscribe_reads_every_record_from_redis() throws Exception {
        redis.command("ACL", "SETUSER", "no-client", "on", ">s3cret", "~mcs:*", "&*", "+@all", "-client");
        redis.command("ACL", "SETUSER", "no-channel", "on", ">s3cret", "~mcs:*", "resetchannels", "+@all");
        try {
            for (String user : List.of("no-client", "no-channel")) {
                redis.command("FLUSHALL");
                RedisJobStore store = trackingStore("redis://" + user + ":s3cret@127.0.0.1:" + redis.port());
                Job job = queued("m1");
                store.claim(job);
                long before = gets(redis);
                assertThat(store.find("m1")).contains(job);
                assertThat(store.find("m1")).contains(job);
                assertThat(gets(redis) - before).as("GETs for user %s", user).isEqualTo(2);
                Job started = job.processing();
                redis.command("SET", "mcs:job:m1", JobJson.write(started));
                assertThat(store.find("m1")).contains(started);
            }
        } finally {
            redis.command("ACL", "DELUSER", "no-client", "no-channel");
        }
    }
}
