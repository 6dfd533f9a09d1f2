package io.mediacompression.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.redisson.api.RScript;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job state in Redis, shared by every instance. Each job is one JSON string under {@code mcs:job:<mediaId>}; the
 * active (queued, processing) ones are also in the sorted set {@code mcs:active}, scored by their last heartbeat.
 * Claim, update and release are Lua scripts, so no two instances can both take a media id.
 *
 * <p>A finished job's record expires after the retention. One awaiting confirmation expires too, later: its holder
 * ends it as {@code expired} when the handshake TTL has passed, and if that instance is gone for good and the LMS never
 * confirms, nothing else would ever remove the record.
 *
 * <p>While Redis is unreachable, claims and conditional updates fail with {@link JobStoreUnavailable} (intake answers
 * 503), and the plain updates of running jobs are kept here, newest per job, and written when Redis is back.
 */
public final class RedisJobStore implements JobStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisJobStore.class);

    // Shared by the scripts below: replace the record, keep the active index in step. ARGV[1] job, ARGV[3] ttl ms,
    // ARGV[4] new state is active (1/0), ARGV[5] now ms.
    private static final String WRITE = """
            local function write(key, json, ttl, active, now, id)
              if tonumber(ttl) > 0 then redis.call('SET', key, json, 'PX', ttl) else redis.call('SET', key, json) end
              if active == '1' then redis.call('ZADD', KEYS[2], now, id) else redis.call('ZREM', KEYS[2], id) end
            end
            """;

    // KEYS[1] job, KEYS[2] active index; ARGV[1] new job, ARGV[2] media id, ARGV[3] now, ARGV[4..] active states.
    // Returns the holding job, or nil when claimed.
    private static final String CLAIM = """
            local current = redis.call('GET', KEYS[1])
            if current then
              local state = cjson.decode(current).state
              for i = 4, #ARGV do
                if state == ARGV[i] then return current end
              end
            end
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
            return false
            """;

    // ARGV[1] job, ARGV[2] its jobId, ARGV[3] ttl, ARGV[4] active, ARGV[5] now, ARGV[6] media id. 1 when replaced.
    private static final String UPDATE = WRITE + """
            local current = redis.call('GET', KEYS[1])
            if not current or cjson.decode(current).jobId ~= ARGV[2] then return 0 end
            write(KEYS[1], ARGV[1], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
            return 1
            """;

    // As UPDATE, but also writes a record that is gone (a Redis restarted without its data): for kept updates.
    private static final String RESTORE = WRITE + """
            local current = redis.call('GET', KEYS[1])
            if current and cjson.decode(current).jobId ~= ARGV[2] then return 0 end
            write(KEYS[1], ARGV[1], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
            return 1
            """;

    // As UPDATE, with ARGV[7] the state the record must still be in.
    private static final String UPDATE_IF = WRITE + """
            local current = redis.call('GET', KEYS[1])
            if not current then return 0 end
            local job = cjson.decode(current)
            if job.jobId ~= ARGV[2] or job.state ~= ARGV[7] then return 0 end
            write(KEYS[1], ARGV[1], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
            return 1
            """;

    // ARGV[1] the jobId that must still own the record, ARGV[2] media id.
    private static final String RELEASE = """
            local current = redis.call('GET', KEYS[1])
            if current and cjson.decode(current).jobId == ARGV[1] then
              redis.call('DEL', KEYS[1])
              redis.call('ZREM', KEYS[2], ARGV[2])
            end
            return 0
            """;

    // ARGV[1] jobId, ARGV[2] media id, ARGV[3] now: refreshes the heartbeat of a job still active and still this one.
    private static final String HEARTBEAT = """
            local current = redis.call('GET', KEYS[1])
            if not current then return 0 end
            local job = cjson.decode(current)
            if job.jobId ~= ARGV[1] or (job.state ~= 'queued' and job.state ~= 'processing') then return 0 end
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
            return 1
            """;

    private static final String KEY_PREFIX = "mcs:job:";
    private static final String ACTIVE = "mcs:active";
    private static final int STALE_BATCH = 100;
    private static final int PARSED_RECORDS = 4096;
    private static final int CACHED_RECORDS = 16384;

    private final RedisConnection redisson;
    private final Duration retention;
    private final Duration awaitingRetention;
    private final Object[] activeStates;
    // updates that could not be written while Redis was unreachable, newest per media id
    private final Map<String, Job> pending = new ConcurrentHashMap<>();
    // records as read from Redis, and the jobs they hold (see parsed)
    private final Map<String, Job> parsedRecords = new ConcurrentHashMap<>();
    private final RecordCache records;
    // when a call last found Redis unreachable (epoch millis)
    private volatile long lastUnreachable = Long.MIN_VALUE;

    /**
     * @param retention         how long a finished job's record stays
     * @param awaitingRetention how long a record awaiting confirmation stays when no instance ends it; longer than
     *                          the handshake TTL, so that a live holder always ends it first
     */
    public RedisJobStore(RedisConnection redisson, Duration retention, Duration awaitingRetention) {
        this.redisson = redisson;
        this.records = new RecordCache(redisson.url(), KEY_PREFIX, CACHED_RECORDS);
        this.retention = retention;
        this.awaitingRetention = awaitingRetention;
        this.activeStates = Arrays.stream(JobState.values()).filter(JobState::isActive).map(JobState::wire).toArray();
    }

    /** A connection to {@code redis://[[user]:password@]host:port[/db]}, opened on its first use. */
    public static RedisConnection connect(String redisUrl) {
        return new RedisConnection(redisUrl);
    }

    @Override
    public Optional<Job> claim(Job job) {
        Object[] args = new Object[activeStates.length + 3];
        args[0] = JobJson.write(job);
        args[1] = job.mediaId();
        args[2] = Long.toString(System.currentTimeMillis());
        System.arraycopy(activeStates, 0, args, 3, activeStates.length);
        String holder = writing(job.mediaId(), () -> script().eval(RScript.Mode.READ_WRITE, CLAIM,
                RScript.ReturnType.VALUE, keys(job.mediaId()), args));
        return Optional.ofNullable(holder).map(JobJson::read);
    }

    @Override
    public Optional<Job> find(String mediaId) {
        Job unwritten = pending.get(mediaId);
        if (unwritten != null) {
            return Optional.of(unwritten);
        }
        String json = records.get(key(mediaId),
                () -> reachable(() -> redisson.get().<String>getBucket(key(mediaId), StringCodec.INSTANCE).get()));
        return Optional.ofNullable(json).map(this::parsed);
    }

    /**
     * The job a record holds. GET /status reads the same jobs over and over while they run, and parsing them was a
     * fifth of the service's CPU under bench/load: an unchanged record gives the job parsed the last time.
     */
    private Job parsed(String json) {
        Job job = parsedRecords.get(json);
        if (job == null) {
            job = JobJson.read(json);
            if (parsedRecords.size() >= PARSED_RECORDS) {
                parsedRecords.clear();
            }
            parsedRecords.put(json, job);
        }
        return job;
    }

    /** A running job's next state; while Redis is unreachable it is kept and written later by {@link #maintain()}. */
    @Override
    public boolean update(Job job) {
        if (pending.isEmpty()) {
            try {
                return write(job);
            } catch (JobStoreUnavailable e) {
                LOG.warn("Job store unreachable: the job's {} state is kept and written when it is back", job.status());
            }
        }
        // once one update waits, the later ones wait behind it, so they reach Redis in order
        pending.merge(job.mediaId(), job, (older, newer) -> newer.jobId().equals(older.jobId()) ? newer : older);
        return true;
    }

    @Override
    public boolean updateIf(JobState expected, Job job) {
        Long replaced = writing(job.mediaId(), () -> script().eval(RScript.Mode.READ_WRITE, UPDATE_IF,
                RScript.ReturnType.INTEGER, keys(job.mediaId()), writeArguments(job, expected.wire())));
        return replaced != null && replaced == 1L;
    }

    @Override
    public void release(Job job) {
        writing(job.mediaId(), () -> script().eval(RScript.Mode.READ_WRITE, RELEASE, RScript.ReturnType.INTEGER,
                keys(job.mediaId()), job.jobId(), job.mediaId()));
    }

    @Override
    public void heartbeat(Job job) {
        reachable(() -> script().eval(RScript.Mode.READ_WRITE, HEARTBEAT, RScript.ReturnType.INTEGER, keys(job.mediaId()),
                job.jobId(), job.mediaId(), Long.toString(System.currentTimeMillis())));
    }

    /**
     * The active jobs whose last heartbeat is older than {@code before}; none while this instance found Redis
     * unreachable since then, or Redis started since then: the instances running those jobs could not send their
     * heartbeats either (a Redis restarted from its append-only file keeps the heartbeats of before its stop), so
     * they get a whole stale time after the outage to send the next one. An instance may not see a short outage at
     * all (its commands wait and are retried), so the server's own uptime is asked too.
     */
    @Override
    public List<Job> staleJobs(Instant before) {
        if (lastUnreachable >= before.toEpochMilli()) {
            return List.of();
        }
        Optional<Duration> uptime = reachable(() -> RedisConnection.uptime(redisson.get()));
        if (uptime.isPresent() && !Instant.now().minus(uptime.get()).isBefore(before)) {
            return List.of();
        }
        List<Job> stale = new ArrayList<>();
        for (String mediaId : reachable(() -> redisson.get().<String>getScoredSortedSet(ACTIVE, StringCodec.INSTANCE)
                .valueRange(Double.NEGATIVE_INFINITY, true, before.toEpochMilli(), false, 0, STALE_BATCH))) {
            find(mediaId).filter(job -> job.state().isActive()).ifPresent(stale::add);
        }
        return stale;
    }

    /**
     * Writes the updates kept while Redis was unreachable, oldest first; then opens the connection that keeps read
     * records fresh when it is not open (see {@link RecordCache}).
     */
    @Override
    public void maintain() {
        List<Job> unwritten = new ArrayList<>(pending.values());
        unwritten.sort(Comparator.comparing(Job::updatedAt));
        for (Job job : unwritten) {
            try {
                writing(job.mediaId(), () -> script().eval(RScript.Mode.READ_WRITE, RESTORE,
                        RScript.ReturnType.INTEGER, keys(job.mediaId()), writeArguments(job, null)));
            } catch (JobStoreUnavailable e) {
                return; // still down: the next round tries again
            }
            pending.remove(job.mediaId(), job);
            try (JobLogContext ignored = JobLogContext.of(job)) {
                LOG.info("Job store reachable again: the job's {} state is written", job.status());
            }
        }
        records.listen();
    }

    @Override
    public void close() {
        records.close();
        redisson.close();
    }

    private RScript script() {
        return redisson.get().getScript(StringCodec.INSTANCE);
    }

    private boolean write(Job job) {
        Long replaced = writing(job.mediaId(), () -> script().eval(RScript.Mode.READ_WRITE, UPDATE,
                RScript.ReturnType.INTEGER, keys(job.mediaId()), writeArguments(job, null)));
        return replaced != null && replaced == 1L;
    }

    private Object[] writeArguments(Job job, String expectedState) {
        long ttl = job.state().isFinished() ? retention.toMillis()
                : job.state() == JobState.AWAITING_CONFIRMATION ? awaitingRetention.toMillis() : 0;
        List<Object> args = new ArrayList<>(List.of(JobJson.write(job), job.jobId(), Long.toString(ttl),
                job.state().isActive() ? "1" : "0", Long.toString(System.currentTimeMillis()), job.mediaId()));
        if (expectedState != null) {
            args.add(expectedState);
        }
        return args.toArray();
    }

    /**
     * Runs a Redis call; a Redis that cannot be reached becomes {@link JobStoreUnavailable}. Besides Redisson's
     * connection, timeout and retry exceptions, that is a plain RedisException with a cause: Redisson's wrapping of
     * a failure of the connection itself ("Unexpected exception while processing command"). Redis's own error
     * answers (a plain RedisException without a cause) are not an outage and go on as they are.
     */
    private <T> T reachable(Supplier<T> call) {
        try {
            return call.get();
        } catch (RedisConnectionException | RedisTimeoutException | RedisRetryException | RedisNodeNotFoundException
                 | RedisReconnectedException e) {
            throw unreachable(e);
        } catch (RedisException e) {
            if (e.getClass() == RedisException.class && e.getCause() != null) {
                throw unreachable(e);
            }
            throw e;
        }
    }

    /** A call that writes the record of {@code mediaId}: this instance reads it from Redis next time. */
    private <T> T writing(String mediaId, Supplier<T> call) {
        try {
            return reachable(call);
        } finally {
            records.changed(key(mediaId));
        }
    }

    private JobStoreUnavailable unreachable(RedisException e) {
        lastUnreachable = System.currentTimeMillis();
        return new JobStoreUnavailable(e);
    }

    private static List<Object> keys(String mediaId) {
        return List.of(key(mediaId), ACTIVE);
    }

    private static String key(String mediaId) {
        return KEY_PREFIX + mediaId;
    }
}
