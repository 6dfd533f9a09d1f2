package io.mediacompression.ops;

import io.mediacompression.job.ShutdownState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNodes;

/**
 * The neighbours this instance needs to take work, as readiness checks of {@code /observe/health/ready}: the work
 * disk, Redis when it is configured, and not shutting down. None of them is a liveness check: a Redis outage or a
 * full disk takes the instance out of the load balancer, it does not get it restarted.
 */
public final class ReadinessChecks implements HealthCheckRepository {

    private final List<HealthCheck> checks = new ArrayList<>();
    private boolean enabled = true;

    public ReadinessChecks(Path workDir, long minFreeBytes, Optional<Supplier<RedissonClient>> redis,
                           ShutdownState shutdown) {
        checks.add(new WorkDisk(workDir, minFreeBytes));
        redis.ifPresent(client -> checks.add(new Redis(client)));
        checks.add(new NotStopping(shutdown));
    }

    @Override
    public String getId() {
        return "media-compression";
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        return enabled ? checks.stream() : Stream.empty();
    }

    private abstract static class Readiness extends AbstractHealthCheck {
        Readiness(String id) {
            super("media-compression", id);
        }

        @Override
        public boolean isLiveness() {
            return false;
        }
    }

    /** WORK_DIR takes a new file and has at least the configured free space (uploads and FFmpeg output land there). */
    static final class WorkDisk extends Readiness {
        private final Path workDir;
        private final long minFreeBytes;

        WorkDisk(Path workDir, long minFreeBytes) {
            super("work-dir");
            this.workDir = workDir;
            this.minFreeBytes = minFreeBytes;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try {
                Path probe = Files.createTempFile(workDir, ".ready-", ".probe");
                Files.delete(probe);
                // File's own call, not Files.getFileStore: that one fails where the mount table lacks the disk (chroots)
                long free = workDir.toFile().getUsableSpace();
                builder.detail("free.mb", free / (1024 * 1024));
                if (free < minFreeBytes) {
                    builder.message("WORK_DIR has less free space than WORK_MIN_FREE_MB").down();
                } else {
                    builder.up();
                }
            } catch (IOException | RuntimeException e) {
                builder.message("WORK_DIR is not writable").down();
            }
        }
    }

    /** Redis answers PING within two seconds. */
    static final class Redis extends Readiness {
        private final Supplier<RedissonClient> client;

        Redis(Supplier<RedissonClient> client) {
            super("redis");
            this.client = client;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            boolean answers;
            try {
                answers = client.get().getRedisNodes(RedisNodes.SINGLE).pingAll(2, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                answers = false;
            }
            if (answers) {
                builder.up();
            } else {
                builder.message("Redis does not answer").down();
            }
        }
    }

    /** DOWN from the first moment of a shutdown, so the load balancer stops sending work at once. */
    static final class NotStopping extends Readiness {
        private final ShutdownState shutdown;

        NotStopping(ShutdownState shutdown) {
            super("shutdown");
            this.shutdown = shutdown;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            if (shutdown.isStopping()) {
                builder.message("Shutting down").down();
            } else {
                builder.up();
            }
        }
    }
}
