package io.mediacompression.ops;

import io.mediacompression.job.CurrentJob;
import io.mediacompression.job.Job;
import io.mediacompression.job.JobState;
import io.mediacompression.job.Worker;
import io.mediacompression.media.Compression;
import io.mediacompression.media.MediaKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecEndpoint;
import io.mediacompression.job.JobQueue;
import org.apache.camel.component.direct.DirectEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * The service's own Prometheus metrics, beside Camel's route metrics on the same registry. Job outcomes come from the
 * job store (see {@link MeteredJobStore}); queued jobs, FFmpeg runs and retries come from Camel's exchange events, so
 * no route or worker step has to call this class.
 *
 * <ul>
 *   <li>{@code media_jobs_accepted_total{kind}} and {@code media_input_bytes_total{kind}}: jobs put on the work queue</li>
 *   <li>{@code media_jobs_finished_total{kind,outcome}} and {@code media_job_duration_seconds{kind,outcome}}:
 *       jobs that reached an end state (completed, failed, db_update_failed, expired), timed from the upload</li>
 *   <li>{@code media_ffmpeg_duration_seconds{kind,outcome}} and {@code media_output_bytes_total{kind}}: FFmpeg runs
 *       and what they wrote</li>
 *   <li>{@code media_queue_depth} and {@code media_queue_oldest_seconds}: jobs waiting for a worker, and how long the
 *       oldest has waited, in this instance's queue or, with JOB_QUEUE=redis, the queue all instances share</li>
 *   <li>{@code media_retries_total{target}}: redeliveries, by the id of the step that is retried (SFTP upload,
 *       confirmation, store callback)</li>
 * </ul>
 */
public final class JobMetrics extends EventNotifierSupport {

    private static final Duration[] JOB_BUCKETS = seconds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200);
    private static final Duration[] FFMPEG_BUCKETS = seconds(0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200);

    private final MeterRegistry registry;
    private final CamelContext context;
    private final String queueName;
    private final String ffmpegExecutable;

    public JobMetrics(MeterRegistry registry, CamelContext context, String queueName, String ffmpegExecutable) {
        this.registry = registry;
        this.context = context;
        this.queueName = queueName;
        this.ffmpegExecutable = ffmpegExecutable;
        // every kind and outcome counted from zero: the first failure after a start is then an increase too, which
        // rate() and increase() in the alert rules see (a counter that appears at 1 shows no increase)
        for (MediaKind kind : MediaKind.values()) {
            acceptedCounter(kind.name().toLowerCase(Locale.ROOT));
            for (JobState state : JobState.values()) {
                if (state.isFinished()) {
                    finishedCounter(kind.name().toLowerCase(Locale.ROOT), state.wire());
                }
            }
        }
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        // redelivery events count as failure events in Camel: keep them. Sending events stay on too: Camel fires a
        // step's sent event only when a notifier took its sending event
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    /** The gauges of the work queue: what an autoscaler (KEDA, an HPA on Prometheus) adds workers on. */
    public void watch(JobQueue queue) {
        Gauge.builder("media.queue.depth", queue, q -> safely(q::waiting))
                .description("Jobs waiting for a worker (with JOB_QUEUE=redis: in the queue all instances share)")
                .register(registry);
        Gauge.builder("media.queue.oldest", queue, q -> safely(() -> q.oldestWaiting().toMillis() / 1000.0))
                .baseUnit("seconds")
                .description("How long the oldest job waiting for a worker has waited")
                .register(registry);
    }

    // a scrape while Redis is down shows NaN rather than failing the whole page
    private static double safely(java.util.function.DoubleSupplier value) {
        try {
            return value.getAsDouble();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void accepted(Job job) {
        acceptedCounter(kind(job)).increment();
        size(Path.of(job.stagedFile())).ifPresent(bytes -> Counter.builder("media.input").baseUnit("bytes")
                .description("Bytes of the uploads accepted as jobs").tag("kind", kind(job)).register(registry)
                .increment(bytes));
    }

    /** A job reached an end state. */
    public void finished(Job job) {
        String outcome = job.state().wire();
        finishedCounter(kind(job), outcome).increment();
        if (job.createdAt() != null && job.updatedAt() != null) {
            Timer.builder("media.job.duration").description("From upload to end state")
                    .tags("kind", kind(job), "outcome", outcome)
                    .serviceLevelObjectives(JOB_BUCKETS)
                    .register(registry)
                    .record(Duration.between(job.createdAt(), job.updatedAt()));
        }
    }

    private Counter acceptedCounter(String kind) {
        return Counter.builder("media.jobs.accepted").description("Uploads accepted as jobs")
                .tag("kind", kind).register(registry);
    }

    private Counter finishedCounter(String kind, String outcome) {
        return Counter.builder("media.jobs.finished").description("Jobs that reached an end state")
                .tags("kind", kind, "outcome", outcome).register(registry);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        // Camel fires the sent event of a step only when a notifier took its sending event: without them, the counts
        // and FFmpeg times here came only while Camel's own exchange event notifier happened to be on
        return event instanceof ExchangeSendingEvent || event instanceof ExchangeSentEvent
                || event instanceof ExchangeRedeliveryEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSentEvent sent && isFfmpeg(sent.getEndpoint())) {
            ffmpegRan(sent.getExchange(), Duration.ofMillis(sent.getTimeTaken()));
        } else if (event instanceof ExchangeSentEvent sent && isWorkQueue(sent.getEndpoint())
                && sent.getExchange().getException() == null
                && sent.getExchange().getMessage().getBody() instanceof Job job) {
            accepted(job);
        } else if (event instanceof ExchangeRedeliveryEvent redelivery) {
            Counter.builder("media.retries").description("Redeliveries of a failed step, by the step's id")
                    .tag("target", target(redelivery.getExchange())).register(registry).increment();
        }
    }

    private void ffmpegRan(Exchange exchange, Duration took) {
        Job job = exchange.getProperty(CurrentJob.PROPERTY, Job.class);
        if (job == null) {
            return;
        }
        boolean ok = exchange.getException() == null;
        Timer.builder("media.ffmpeg.duration").description("FFmpeg runs")
                .tags("kind", kind(job), "outcome", ok ? "ok" : "failed")
                .serviceLevelObjectives(FFMPEG_BUCKETS)
                .register(registry)
                .record(took);
        Compression.Run run = exchange.getProperty(Worker.RUN_PROPERTY, Compression.Run.class);
        if (ok && run != null) {
            Counter.builder("media.output").baseUnit("bytes").description("Bytes FFmpeg wrote").tag("kind", kind(job))
                    .register(registry).increment(run.outputBytes());
        }
    }

    // intake's hand-over to the work queue (route queue-job), whichever queue it is; never a re-queued job
    private boolean isWorkQueue(Endpoint endpoint) {
        return endpoint instanceof DirectEndpoint && endpoint.getEndpointUri().equals("direct://" + queueName);
    }

    private boolean isFfmpeg(Endpoint endpoint) {
        return endpoint instanceof ExecEndpoint exec && ffmpegExecutable.equals(exec.getExecutable());
    }

    /** The id of the step being retried (the ids of the delivery routes), or the scheme of its endpoint. */
    static String target(Exchange exchange) {
        String nodeId = exchange.getExchangeExtension().getHistoryNodeId();
        if (nodeId != null && !nodeId.isBlank()) {
            return nodeId;
        }
        String uri = exchange.getProperty(Exchange.TO_ENDPOINT, String.class);
        return uri == null ? "unknown" : uri.substring(0, Math.max(0, uri.indexOf(':')));
    }

    private static String kind(Job job) {
        return job.format() == null ? "unknown" : job.format().kind().name().toLowerCase(Locale.ROOT);
    }

    private static Optional<Long> size(Path file) {
        try {
            return Optional.of(Files.size(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis((long) (values[i] * 1000));
        }
        return durations;
    }
}
