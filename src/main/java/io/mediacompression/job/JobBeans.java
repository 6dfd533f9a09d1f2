package io.mediacompression.job;

import io.mediacompression.media.Compression;
import io.mediacompression.media.FfmpegCommand;
import java.time.Clock;
import java.util.Optional;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.QueueReference;
import org.apache.camel.component.seda.SedaComponent;

/** The work queue and the workers, over the `jobStore` as the operations package has wrapped it in its metrics. */
public record JobBeans(JobSettings settings, Optional<RedisConnection> redis) {

    /**
     * JOB_QUEUE: the seda queue `jobs` (null until the routes have created it), or the Redis Stream every instance
     * shares, whose consumer starts and stops with the context.
     */
    @BindToRegistry
    public JobQueue jobQueue(CamelContext context, @BeanInject("jobStore") JobStore jobStore, ShutdownState shutdown)
            throws Exception {
        if (!settings.sharedQueue()) {
            return new LocalJobQueue(() -> {
                // the component keys its queues by the normalised endpoint URI without options, not by the name
                QueueReference reference = context.getComponent("seda", SedaComponent.class)
                        .getQueueReference(LocalJobQueue.SEDA_KEY);
                return reference == null ? null : reference.getQueue();
            });
        }
        RedisJobQueue queue = new RedisJobQueue(redis.orElseThrow(), jobStore, context, shutdown,
                settings.instanceId(), settings.workers(), settings.queueSize(), settings.staleAfter(),
                settings.sweepInterval(), settings.works());
        context.addService(queue, true, true);
        return queue;
    }

    @BindToRegistry
    public ProgressWatch progressWatch(@BeanInject("jobStore") JobStore jobStore) {
        return new ProgressWatch(jobStore, settings.ffmpegStallTimeout(), Clock.systemUTC());
    }

    @BindToRegistry
    public Worker worker(@BeanInject("jobStore") JobStore jobStore, ProgressWatch progressWatch,
                         ShutdownState shutdown) {
        return new Worker(jobStore,
                new Compression(new FfmpegCommand(settings.video(), settings.image(), settings.hls())), progressWatch,
                shutdown, settings.ffmpegPath(), settings.ffprobePath(), settings.ffmpegPriority(), settings.instanceId());
    }

    @BindToRegistry
    public WorkDirSweep workDirSweep(@BeanInject("jobStore") JobStore jobStore) {
        return new WorkDirSweep(settings.workDir(), jobStore, settings.handshakeTtl(), settings.orphanAge(),
                settings.staleAfter(), Clock.systemUTC(), settings.sharedQueue());
    }
}
