package io.mediacompression.job;

import java.time.Clock;
import java.util.Optional;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;

/**
 * The job state beans, bound before the operations package wraps the store in its metrics (see
 * {@link JobBeans} for the beans that use the wrapped one).
 */
public record JobStoreBeans(JobSettings settings, Optional<RedisConnection> redis) {

    /** Turns readiness DOWN and stops taking jobs from the first moment of a shutdown. */
    @BindToRegistry
    public ShutdownState shutdownState(CamelContext context) {
        ShutdownState state = new ShutdownState();
        context.getManagementStrategy().addEventNotifier(state);
        return state;
    }

    /** Job state in Redis when REDIS_URL is set, else in this instance's memory; without metrics. */
    @BindToRegistry
    public JobStore jobRecords() {
        return redis
                // an unconfirmed handshake whose instance is gone for good: its record goes once no live holder
                // can still be about to expire it, and as long after that as a finished job's
                .<JobStore>map(connection -> new RedisJobStore(connection, settings.retention(),
                        settings.handshakeTtl().plus(settings.staleAfter()).plus(settings.retention())))
                .orElseGet(() -> new InMemoryJobStore(settings.retention(), Clock.systemUTC()));
    }
}
