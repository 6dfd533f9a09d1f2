package io.mediacompression.job;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.redisson.client.ChannelName;
import org.redisson.client.RedisClient;
import org.redisson.client.RedisClientConfig;
import org.redisson.client.RedisException;
import org.redisson.client.RedisPubSubConnection;
import org.redisson.client.RedisPubSubListener;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.client.protocol.pubsub.PubSubType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records as last read from Redis, kept until Redis says they changed: Redis's server-assisted client-side caching
 * (<a href="https://redis.io/docs/latest/develop/reference/client-side-caching/">CLIENT TRACKING</a>), in broadcasting
 * mode over one key prefix. A connection of its own subscribes to {@code __redis__:invalidate}, and Redis sends it the
 * name of every key under the prefix that any client writes, deletes or Redis expires (nil when a database is
 * flushed). GET /status reads the same records over and over, and the round trip to Redis was three quarters of what
 * a status answer cost (bench/load).
 *
 * <p>Records are kept only while that connection is up and tracking: until it is, when it drops (Redis restarted or
 * unreachable: its pings go unanswered within a second) and when Redis refuses tracking (before 6.0, or an ACL
 * without {@code client} or the channel), every read goes to Redis, as without the cache. A read that overlaps any
 * invalidation is not kept, so a record is never kept older than a change Redis has announced. Another instance's
 * change is seen once its invalidation has arrived (the same moment Redis answers that instance's write, give or take
 * the network), this instance's own at once ({@link #changed}).
 */
final class RecordCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordCache.class);
    private static final ChannelName INVALIDATE = new ChannelName("__redis__:invalidate");
    private static final int PING_MILLIS = 1000;
    private static final int TIMEOUT_MILLIS = 2000;
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final RedisUrl url;
    private final String prefix;
    private final int capacity;
    // a missing record is kept too (Optional.empty()): polling an unknown id is the same round trip
    private final Map<String, Optional<String>> records = new ConcurrentHashMap<>();
    // counts invalidations and local changes: a read that saw it move keeps nothing
    private final AtomicLong changes = new AtomicLong();
    private volatile boolean tracking;
    private boolean refused;
    private boolean closed;
    // after a failed attempt the next waits, one second at first, twice as long after each failure up to a minute
    private long backoffNanos;
    private long nextAttempt;
    private volatile Listening listening;

    /**
     * @param prefix   the key prefix whose records are kept
     * @param capacity how many records are kept at most; past it all are dropped and read again
     */
    RecordCache(RedisUrl url, String prefix, int capacity) {
        this.url = url;
        this.prefix = prefix;
        this.capacity = capacity;
        this.nextAttempt = System.nanoTime();
    }

    /** The record under {@code key} (null when there is none): the one kept, or the one {@code read} gets. */
    String get(String key, Supplier<String> read) {
        if (!tracking) {
            return read.get();
        }
        Optional<String> kept = records.get(key);
        if (kept != null) {
            return kept.orElse(null);
        }
        long seen = changes.get();
        String record = read.get();
        if (tracking && changes.get() == seen) {
            if (records.size() >= capacity) {
                records.clear();
            }
            records.put(key, Optional.ofNullable(record));
            // an invalidation that arrived between the check and the put removed nothing: undo the put
            if (changes.get() != seen || !tracking) {
                records.remove(key);
            }
        }
        return record;
    }

    /** This instance wrote (or may have written) {@code key}: read it from Redis next time. */
    void changed(String key) {
        changes.incrementAndGet();
        records.remove(key);
    }

    /**
     * Opens the tracking connection when it is not open; called every round of the job store's upkeep, so the cache
     * comes back after Redis does. Does nothing once Redis has refused tracking. A Redis that does not confirm the
     * subscription (Redisson does not pass on a refused channel, an ACL without it) is tried again less and less often.
     */
    synchronized void listen() {
        if (tracking || refused || closed || System.nanoTime() - nextAttempt < 0) {
            return;
        }
        stopListening();
        Listening attempt = new Listening();
        listening = attempt;
        try {
            attempt.start();
        } catch (RedisException e) {
            stopListening();
            if (e.getClass() == RedisException.class && e.getCause() == null) {
                // Redis's own answer (an ERR or NOPERM, not a failure to reach it): it will not change while it runs
                refused = true;
                LOG.warn("Redis refuses client tracking, so every job status is read from Redis: {}",
                        String.valueOf(e.getMessage()).split(" channel: ")[0]);
            } else {
                backoffNanos = Math.min(Math.max(TimeUnit.SECONDS.toNanos(1), 2 * backoffNanos), MAX_BACKOFF_NANOS);
                nextAttempt = System.nanoTime() + backoffNanos;
                LOG.debug("Could not open the connection that tracks job records: {}", e.toString());
            }
            return;
        }
        backoffNanos = 0;
        invalidateAll();
        tracking = true;
        if (!attempt.connection.isActive()) {
            tracking = false;
        }
        LOG.debug("Tracking job records in Redis");
    }

    @Override
    public synchronized void close() {
        closed = true;
        stopListening();
    }

    private void stopListening() {
        tracking = false;
        invalidateAll();
        if (listening != null) {
            listening.stop();
            listening = null;
        }
    }

    private void invalidateAll() {
        changes.incrementAndGet();
        records.clear();
    }

    private void invalidated(Object keys) {
        if (keys == null) {
            invalidateAll();
        } else if (keys instanceof List<?> names) {
            names.forEach(name -> changed(String.valueOf(name)));
        } else {
            changed(String.valueOf(keys));
        }
    }

    /** One tracking connection, with the threads of its client. */
    private final class Listening {

        private final NioEventLoopGroup group =
                new NioEventLoopGroup(1, (ThreadFactory) runnable -> daemon(runnable, "io"));
        private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, ""));
        private RedisClient client;
        private RedisPubSubConnection connection;

        void start() {
            RedisClientConfig config = new RedisClientConfig()
                    .setAddress(url.address())
                    .setDatabase(url.database())
                    .setUsername(url.username().orElse(null))
                    .setPassword(url.password().orElse(null))
                    .setConnectTimeout(TIMEOUT_MILLIS)
                    .setCommandTimeout(TIMEOUT_MILLIS)
                    .setPingConnectionInterval(PING_MILLIS)
                    .setGroup(group)
                    // the JDK's resolver: Redisson's default picks a DNS resolver by probing for Netty's epoll classes
                    .setResolverGroup(DefaultAddressResolverGroup.INSTANCE)
                    .setExecutor(executor)
                    .setDisconnectedListener(address -> lost());
            client = RedisClient.create(config);
            connection = client.connectPubSub();
            Long id = connection.sync(RedisCommands.CLIENT_ID);
            // the connection tracks for itself: RESP2 carries invalidations only as messages of a subscribed client
            connection.sync(StringCodec.INSTANCE, RedisCommands.CLIENT_TRACKING, "ON", "REDIRECT", id, "BCAST",
                    "PREFIX", prefix);
            CompletableFuture<Void> subscribed = new CompletableFuture<>();
            connection.addListener(INVALIDATE, new RedisPubSubListener<Object>() {
                @Override
                public void onStatus(PubSubType type, CharSequence channel) {
                    if (type == PubSubType.SUBSCRIBE) {
                        subscribed.complete(null);
                    }
                }

                @Override
                public void onMessage(CharSequence channel, Object message) {
                    invalidated(message);
                }
            });
            // completes only when Redis refuses the subscription (an ACL without the channel)
            CompletableFuture<Void> refusal = new CompletableFuture<>();
            connection.subscribe(refusal, StringCodec.INSTANCE, INVALIDATE);
            try {
                CompletableFuture.anyOf(subscribed, refusal).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisException("Interrupted while subscribing to " + INVALIDATE, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisException refused) {
                    throw refused;
                }
                throw new RedisException("Could not subscribe to " + INVALIDATE, e);
            } catch (TimeoutException e) {
                throw new RedisException("Could not subscribe to " + INVALIDATE, e);
            }
        }

        // on the connection's I/O thread: takes no lock that listen() holds while it waits on that thread
        private void lost() {
            if (listening == this) {
                boolean was = tracking;
                tracking = false;
                invalidateAll();
                if (was) {
                    LOG.info("Lost the Redis connection that tracks job records: statuses are read from Redis until "
                            + "it is back");
                }
            }
        }

        void stop() {
            if (client != null) {
                client.shutdown();
            }
            executor.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }

        private static Thread daemon(Runnable runnable, String kind) {
            Thread thread = new Thread(runnable, "redis-tracking" + (kind.isEmpty() ? "" : "-" + kind));
            thread.setDaemon(true);
            return thread;
        }
    }
}
