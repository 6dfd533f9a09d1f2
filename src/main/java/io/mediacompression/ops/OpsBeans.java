package io.mediacompression.ops;

import io.mediacompression.job.JobQueue;
import io.mediacompression.job.JobStore;
import io.mediacompression.job.RedisConnection;
import io.mediacompression.job.ShutdownState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;

/** Metrics, readiness and the FFmpeg executor; the `jobStore` the other packages use is the job records metered. */
public record OpsBeans(Path workDir, long workMinFreeBytes, String ffmpegPath, Optional<RedisConnection> redis) {

    /**
     * The job metrics, which join Camel's route metrics on the registry /observe/metrics serves, with readiness as a
     * gauge and the free space of WORK_DIR (disk_free_bytes{path=...}) for the alert rules beside them.
     */
    @BindToRegistry
    public JobMetrics jobMetrics(CamelContext context) throws Exception {
        MeterRegistry meters = meterRegistry(context);
        JobMetrics metrics = new JobMetrics(meters, context, "queue-job", ffmpegPath);
        context.getManagementStrategy().addEventNotifier(metrics);
        new ReadinessMetric(context).bindTo(meters);
        new DiskSpaceMetrics(workDir.toFile()).bindTo(meters);
        // the queue's gauges, once the job package has bound its queue (after this)
        context.addStartupListener((started, alreadyStarted) ->
                metrics.watch(started.getRegistry().lookupByNameAndType("jobQueue", JobQueue.class)));
        return metrics;
    }

    /** The job records, counted by {@link JobMetrics}; a Redis store's client is shut down with the context. */
    @BindToRegistry(value = "jobStore", destroyMethod = "close")
    public JobStore jobStore(@BeanInject("jobRecords") JobStore records, JobMetrics metrics) {
        return new MeteredJobStore(records, metrics);
    }

    /** The readiness checks of /observe/health/ready: WORK_DIR, Redis when it is configured, not shutting down. */
    @BindToRegistry
    public ReadinessChecks readinessChecks(CamelContext context, ShutdownState shutdown) {
        ReadinessChecks checks = new ReadinessChecks(workDir, workMinFreeBytes, redis.map(connection -> connection),
                shutdown);
        HealthCheckRegistry.get(context).register(checks);
        return checks;
    }

    @BindToRegistry
    public GracefulExec gracefulExec() {
        return new GracefulExec();
    }

    /** The registry of camel-micrometer-prometheus, or a private one when metrics are off (camel.metrics.enabled). */
    static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry found = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        return found != null ? found : new SimpleMeterRegistry();
    }
}
