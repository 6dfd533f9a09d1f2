package io.mediacompression.job;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Job state in Redis, shared by every instance. Each job is one JSON string under {@code mcs:job:<mediaId>};
 * claim, update and release are Lua scripts so that no two instances can both take a media id.
 */
public final class RedisJobStore implements JobStore, AutoCloseable {

    // ARGV[1] the new job, ARGV[2..] the active states. Returns the holding job, or nil when claimed.
    private static final String CLAIM = """
            local current = redis.call('GET', KEYS[1])
            if current then
              local state = cjson.decode(current).state
              for i = 2, #ARGV do
                if state == ARGV[i] then return current end
              end
            end
            redis.call('SET', KEYS[1], ARGV[1])
            return false
            """;

    // ARGV[1] the job, ARGV[2] its jobId, ARGV[3] time to live in ms (0: none). Returns 1 when replaced.
    private static final String UPDATE = """
            local current = redis.call('GET', KEYS[1])
            if not current or cjson.decode(current).jobId ~= ARGV[2] then return 0 end
            if tonumber(ARGV[3]) > 0 then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
            else
              redis.call('SET', KEYS[1], ARGV[1])
            end
            return 1
            """;

    // ARGV[1] the jobId that must still own the record.
    private static final String RELEASE = """
            local current = redis.call('GET', KEYS[1])
            if current and cjson.decode(current).jobId == ARGV[1] then redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private static final String KEY_PREFIX = "mcs:job:";

    private final RedissonClient redisson;
    private final RScript script;
    private final Duration retention;
    private final Object[] activeStates;

    public RedisJobStore(RedissonClient redisson, Duration retention) {
        this.redisson = redisson;
        this.script = redisson.getScript(StringCodec.INSTANCE);
        this.retention = retention;
        this.activeStates = Arrays.stream(JobState.values()).filter(JobState::isActive).map(JobState::wire).toArray();
    }

    /** Connects to {@code redis://[[user]:password@]host:port[/db]} (or {@code rediss://}); see {@link RedisUrl}. */
    public static RedissonClient connect(String redisUrl) {
        RedisUrl url = RedisUrl.parse(redisUrl);
        Config config = new Config();
        var server = config.useSingleServer()
                .setAddress(url.address())
                .setDatabase(url.database())
                .setConnectionMinimumIdleSize(4)
                .setConnectionPoolSize(32)
                .setRetryAttempts(2);
        url.username().ifPresent(server::setUsername);
        url.password().ifPresent(server::setPassword);
        config.setCodec(StringCodec.INSTANCE);
        return Redisson.create(config);
    }

    @Override
    public Optional<Job> claim(Job job) {
        Object[] args = new Object[activeStates.length + 1];
        args[0] = JobJson.write(job);
        System.arraycopy(activeStates, 0, args, 1, activeStates.length);
        String holder = script.eval(RScript.Mode.READ_WRITE, CLAIM, RScript.ReturnType.VALUE, List.of(key(job.mediaId())), args);
        return Optional.ofNullable(holder).map(JobJson::read);
    }

    @Override
    public Optional<Job> find(String mediaId) {
        String json = redisson.<String>getBucket(key(mediaId), StringCodec.INSTANCE).get();
        return Optional.ofNullable(json).map(JobJson::read);
    }

    @Override
    public boolean update(Job job) {
        long ttl = job.state().isFinished() ? retention.toMillis() : 0;
        Long replaced = script.eval(RScript.Mode.READ_WRITE, UPDATE, RScript.ReturnType.INTEGER,
                List.of(key(job.mediaId())), JobJson.write(job), job.jobId(), Long.toString(ttl));
        return replaced != null && replaced == 1L;
    }

    @Override
    public void release(Job job) {
        script.eval(RScript.Mode.READ_WRITE, RELEASE, RScript.ReturnType.INTEGER, List.of(key(job.mediaId())), job.jobId());
    }

    @Override
    public void close() {
        redisson.shutdown();
    }

    private static String key(String mediaId) {
        return KEY_PREFIX + mediaId;
    }
}
