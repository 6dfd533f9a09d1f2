package io.mediacompression.job;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The Redisson client of REDIS_URL, made on its first use and shut down with the job store: configuring the service
 * opens nothing, and a Redis that is down at start only turns readiness DOWN (intake answers 503) until it is up.
 */
public final class RedisConnection implements Supplier<RedissonClient>, AutoCloseable {

    private final String url;
    private volatile RedissonClient client;

    /** {@code redis://[[user]:password@]host:port[/db]} (or {@code rediss://}); see {@link RedisUrl}. */
    public RedisConnection(String url) {
        RedisUrl.parse(url);
        this.url = url;
    }

    /** The server it connects to. */
    RedisUrl url() {
        return RedisUrl.parse(url);
    }

    @Override
    public RedissonClient get() {
        RedissonClient made = client;
        return made != null ? made : make();
    }

    /**
     * How long the Redis server has been running (INFO's {@code uptime_in_seconds}, whole seconds; empty when this
     * user may not ask). A Redis restarted from its append-only file keeps the heartbeats and queue entries of before
     * its stop, whose ages then count its downtime: no heartbeat is judged stale before the server has run for the
     * stale time.
     */
    static Optional<Duration> uptime(RedissonClient client) {
        try {
            String seconds = client.getRedisNodes(RedisNodes.SINGLE).getInstance().info(RedisNode.InfoSection.SERVER)
                    .get("uptime_in_seconds");
            return Optional.ofNullable(seconds).map(s -> Duration.ofSeconds(Long.parseLong(s)));
        } catch (RedisException e) {
            // a Redis that refuses INFO to this user (ACL) or renamed it answers with an error: uptime unknown
            if (e.getCause() == null && String.valueOf(e.getMessage()).matches("(?s)(ERR|NOPERM).*")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private synchronized RedissonClient make() {
        if (client == null) {
            client = create(RedisUrl.parse(url));
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.shutdown();
        }
    }

    private static RedissonClient create(RedisUrl url) {
        Config config = new Config();
        var server = config.useSingleServer()
                .setAddress(url.address())
                .setDatabase(url.database())
                .setConnectionMinimumIdleSize(4)
                .setConnectionPoolSize(32)
                // an unreachable Redis is reported within seconds (intake answers 503), not after a long wait
                .setConnectTimeout(2000)
                .setTimeout(2000)
                .setRetryAttempts(1);
        url.username().ifPresent(server::setUsername);
        url.password().ifPresent(server::setPassword);
        config.setCodec(StringCodec.INSTANCE);
        // start even while Redis is down: readiness stays DOWN and intake answers 503 until it is reachable
        config.setLazyInitialization(true);
        return Redisson.create(config);
    }
}
