package io.mediacompression.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Service;
import org.apache.camel.support.SynchronizationAdapter;
import org.redisson.api.AutoClaimResult;
import org.redisson.api.PendingResult;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamGroup;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JOB_QUEUE=redis: the Redis Stream {@value #STREAM}, read through the consumer group {@value #GROUP} by the workers of
 * every instance (each instance is the consumer named by its INSTANCE_ID).
 *
 * <p>Intake adds one entry per job ({@code jobId}, {@code mediaId}; the job itself is in the job store). A consumer
 * thread takes an entry only when one of this instance's WORKERS is free, and hands the job to the local seda queue of
 * the `transcode` route. The entry stays pending (XPENDING) until the job has reached an end state; then it is
 * acknowledged and deleted. While the job runs, its worker claims the entry again for itself every SWEEP_INTERVAL,
 * which resets the entry's idle time: that is the job's heartbeat. An entry idle for JOBS_STALE_AFTER belongs to a
 * worker that died, and the next free worker of any instance claims it (XAUTOCLAIM) and restarts the job from its
 * upload in the shared WORK_DIR. The job store has the last word on whose job it is: a worker that finds another
 * instance in the job's record when its compression is over stops without delivering.
 */
public final class RedisJobQueue implements JobQueue, Service {

    public static final String STREAM = "mcs:jobs";
    public static final String GROUP = "workers";

    /** The queue entry a worker exchange came from. */
    static final String ENTRY_PROPERTY = "mcs.queueEntry";

    private static final Logger LOG = LoggerFactory.getLogger(RedisJobQueue.class);
    private static final Duration READ_BLOCK = Duration.ofSeconds(1);

    private final Supplier<RedissonClient> redis;
    // the Stream of the client made when the context starts (see RedisConnection), not while it is configured
    private volatile RStream<String, String> stream;
    private final JobStore jobs;
    private final CamelContext context;
    private final ShutdownState shutdown;
    private final String instanceId;
    private final int queueSize;
    private final Duration staleAfter;
    private final Duration heartbeatInterval;
    private final boolean works;
    private final Semaphore freeWorkers;
    // entries this instance's workers hold (id -> jobId), and ended jobs whose acknowledgement did not reach Redis yet
    private final Map<StreamMessageId, String> held = new ConcurrentHashMap<>();
    private final Set<StreamMessageId> unacknowledged = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile Thread consumer;
    private StreamMessageId claimCursor = new StreamMessageId(0, 0);
    private Instant lastHeartbeat = Instant.EPOCH;
    // when this instance last found the queue unreachable
    private volatile Instant lastUnreachable = Instant.EPOCH;

    /**
     * @param works             whether this instance has workers (ROLE all or worker); an API instance only publishes
     * @param heartbeatInterval how often running jobs claim their entries again; well below {@code staleAfter}
     */
    public RedisJobQueue(Supplier<RedissonClient> redis, JobStore jobs, CamelContext context, ShutdownState shutdown,
                         String instanceId, int workers, int queueSize, Duration staleAfter, Duration heartbeatInterval,
                         boolean works) {
        this.redis = redis;
        this.jobs = jobs;
        this.context = context;
        this.shutdown = shutdown;
        this.instanceId = instanceId;
        this.queueSize = queueSize;
        this.staleAfter = staleAfter;
        this.heartbeatInterval = heartbeatInterval;
        this.works = works;
        this.freeWorkers = new Semaphore(workers);
    }

    /** The `publish-job` step of `queue-job`: the job goes on the shared queue, or 503 when it is full. */
    @Override
    public void publish(@Body Job job) {
        if (full()) {
            throw new IllegalStateException("The shared work queue is full");
        }
        redis(() -> stream.add(StreamAddArgs.entries("jobId", job.jobId(), "mediaId", job.mediaId())));
    }

    @Override
    public long waiting() {
        return redis(() -> {
            long entries = stream.size();
            return entries == 0 ? 0L : Math.max(0, entries - pending().getTotal());
        });
    }

    @Override
    public Duration oldestWaiting() {
        return redis(() -> {
            if (stream.size() == 0) {
                return Duration.ZERO;
            }
            StreamMessageId lastDelivered = group().map(StreamGroup::getLastDeliveredId).orElse(new StreamMessageId(0, 0));
            return stream.range(2, lastDelivered, StreamMessageId.MAX).keySet().stream()
                    .filter(id -> !id.equals(lastDelivered))
                    .findFirst()
                    .map(id -> Duration.between(Instant.ofEpochMilli(id.getId0()), Instant.now()))
                    .orElse(Duration.ZERO);
        });
    }

    @Override
    public boolean full() {
        return waiting() >= queueSize;
    }

    /**
     * The job's compression is over: the worker is free for the next entry, while delivery goes on. A job that another
     * worker took over meanwhile (its record names another instance) stops here.
     */
    @Override
    public void compressed(Exchange exchange) {
        Entry entry = exchange.getProperty(ENTRY_PROPERTY, Entry.class);
        if (entry == null) {
            return;
        }
        Job job = CurrentJob.of(exchange);
        Optional<Job> recorded;
        try {
            recorded = jobs.find(job.mediaId());
        } catch (JobStoreUnavailable e) {
            recorded = Optional.empty(); // cannot ask: go on, the job is ours as far as this instance knows
        }
        if (recorded.isPresent() && (!recorded.get().jobId().equals(job.jobId())
                || !instanceId.equals(recorded.get().instance()))) {
            exchange.setProperty(JobTakenOver.PROPERTY, true);
            throw new JobTakenOver(recorded.get().instance());
        }
        entry.freeWorker();
    }

    @Override
    public void start() {
        stream = redis.get().getStream(STREAM, StringCodec.INSTANCE);
        if (!works || running) {
            return;
        }
        running = true;
        Thread thread = new Thread(this::consume, "job-queue-consumer");
        thread.setDaemon(true);
        consumer = thread;
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = consumer;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // One loop per instance: while a worker is free, take a stale entry of a dead worker or else a new one.
    private void consume() {
        ensureGroup();
        ProducerTemplate template = context.createProducerTemplate();
        Endpoint workers = context.getEndpoint("seda:jobs?size=" + queueSizeOfLocalQueue());
        while (running && !shutdown.isStopping()) {
            try {
                heartbeatIfDue();
                if (!freeWorkers.tryAcquire(READ_BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                boolean handed = false;
                try {
                    if (shutdown.isStopping()) {
                        return; // no new job once the instance is stopping
                    }
                    Optional<Map.Entry<StreamMessageId, Map<String, String>>> next = claimStale().or(this::readNew);
                    if (next.isPresent()) {
                        handed = hand(next.get().getKey(), next.get().getValue(), template, workers);
                    }
                } finally {
                    if (!handed) {
                        freeWorkers.release();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    ensureGroup(); // a Redis that restarted without its data
                } else {
                    lastUnreachable = Instant.now();
                    LOG.warn("Shared job queue unreachable ({}); trying again", e.getMessage());
                }
                pause();
            }
        }
    }

    // An entry is stale when its worker sent no heartbeat for staleAfter; not in the first staleAfter after Redis was
    // away (as this instance saw it, or as the server's uptime tells: a short outage may pass unseen): no worker could
    // send one meanwhile, and a Redis restarted from its append-only file counts its downtime into every entry's
    // idle time.
    private Optional<Map.Entry<StreamMessageId, Map<String, String>>> claimStale() {
        if (Duration.between(lastUnreachable, Instant.now()).compareTo(staleAfter) < 0
                || RedisConnection.uptime(redis.get()).filter(up -> up.compareTo(staleAfter) < 0).isPresent()) {
            return Optional.empty();
        }
        AutoClaimResult<String, String> claimed = stream.autoClaim(GROUP, instanceId, staleAfter.toMillis(),
                TimeUnit.MILLISECONDS, claimCursor, 1);
        claimCursor = claimed.getNextId() == null ? new StreamMessageId(0, 0) : claimed.getNextId();
        return claimed.getMessages().entrySet().stream().findFirst().map(e -> {
            LOG.warn("Taking over the job of a worker that sent no heartbeat for {} (queue entry {})", staleAfter, e.getKey());
            return e;
        });
    }

    private Optional<Map.Entry<StreamMessageId, Map<String, String>>> readNew() {
        Map<StreamMessageId, Map<String, String>> read = stream.readGroup(GROUP, instanceId,
                StreamReadGroupArgs.neverDelivered().count(1).timeout(READ_BLOCK));
        return read == null ? Optional.empty() : read.entrySet().stream().findFirst();
    }

    /** Hands the entry's job to a local worker; an entry whose job is over or gone is acknowledged at once. */
    private boolean hand(StreamMessageId id, Map<String, String> fields, ProducerTemplate template, Endpoint workers) {
        String mediaId = fields.get("mediaId");
        String jobId = fields.get("jobId");
        Optional<Job> recorded = mediaId == null ? Optional.empty()
                : jobs.find(mediaId).filter(job -> job.jobId().equals(jobId));
        if (recorded.isEmpty() || !recorded.get().state().isActive()) {
            acknowledge(id);
            return false;
        }
        Job job = recorded.get();
        Entry entry = new Entry(id, jobId);
        held.put(id, jobId);
        Exchange exchange = workers.createExchange();
        exchange.getMessage().setBody(job);
        exchange.setProperty(ENTRY_PROPERTY, entry);
        // handed over with the exchange to the worker's copy: runs when the job's exchange ends
        exchange.getExchangeExtension().addOnCompletion(entry);
        template.send(workers, exchange);
        if (exchange.getException() != null) {
            held.remove(id);
            LOG.warn("Could not hand the job to a worker: {}", exchange.getException().getMessage());
            return false;
        }
        return true;
    }

    // Running jobs claim their entries again (resetting their idle time); ended ones not yet acknowledged too.
    private void heartbeatIfDue() {
        Instant now = Instant.now();
        if (Duration.between(lastHeartbeat, now).compareTo(heartbeatInterval) < 0) {
            return;
        }
        lastHeartbeat = now;
        for (StreamMessageId id : List.copyOf(unacknowledged)) {
            acknowledge(id);
        }
        List<StreamMessageId> ours = new ArrayList<>(held.keySet());
        ours.addAll(unacknowledged);
        if (ours.isEmpty()) {
            return;
        }
        // only those still pending for this instance: never take back an entry another worker took over
        Set<StreamMessageId> stillOurs = stream.pendingRange(GROUP, instanceId, StreamMessageId.MIN, StreamMessageId.MAX,
                Math.max(ours.size(), 100)).keySet();
        StreamMessageId[] refresh = ours.stream().filter(stillOurs::contains).toArray(StreamMessageId[]::new);
        if (refresh.length > 0) {
            stream.fastClaim(GROUP, instanceId, 0, TimeUnit.MILLISECONDS, refresh);
        }
    }

    private void acknowledge(StreamMessageId id) {
        try {
            stream.ack(GROUP, id);
            stream.remove(id);
            unacknowledged.remove(id);
        } catch (RedisException e) {
            // kept, claimed again at each heartbeat so that nobody takes it over, and acknowledged when Redis is back
            unacknowledged.add(id);
        }
    }

    private void ensureGroup() {
        try {
            stream.createGroup(StreamCreateGroupArgs.name(GROUP).id(StreamMessageId.ALL).makeStream());
        } catch (RedisException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                LOG.warn("Could not create the consumer group of the shared job queue ({}); trying again", e.getMessage());
            }
        }
    }

    private PendingResult pending() {
        try {
            return stream.getPendingInfo(GROUP);
        } catch (RedisException e) {
            if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                return new PendingResult(0, null, null, Map.of());
            }
            throw e;
        }
    }

    private Optional<StreamGroup> group() {
        try {
            return stream.listGroups().stream().filter(g -> g.getName().equals(GROUP)).findFirst();
        } catch (RedisException e) {
            return Optional.empty(); // no stream yet
        }
    }

    private String queueSizeOfLocalQueue() {
        return context.getPropertiesComponent().resolveProperty("jobs.queue-size").orElse("100").trim();
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private <T> T redis(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RedisException e) {
            lastUnreachable = Instant.now();
            throw new JobStoreUnavailable(e);
        }
    }

    /** One entry held by a worker of this instance: frees the worker once, acknowledges when the job has ended. */
    final class Entry extends SynchronizationAdapter {
        private final StreamMessageId id;
        private final String jobId;
        private final AtomicBoolean workerFree = new AtomicBoolean();

        Entry(StreamMessageId id, String jobId) {
            this.id = id;
            this.jobId = jobId;
        }

        void freeWorker() {
            if (workerFree.compareAndSet(false, true)) {
                freeWorkers.release();
            }
        }

        @Override
        public void onDone(Exchange exchange) {
            freeWorker();
            held.remove(id);
            Job job = exchange.getProperty(CurrentJob.PROPERTY, Job.class);
            if (Boolean.TRUE.equals(exchange.getProperty(JobTakenOver.PROPERTY, Boolean.class))) {
                return; // the entry is the other worker's now
            }
            if (job == null || job.state().isActive()) {
                // interrupted (shutdown): left pending, another worker takes it over once its heartbeat is stale
                return;
            }
            try (JobLogContext ignored = JobLogContext.of(job)) {
                acknowledge(id);
            }
        }

        @Override
        public String toString() {
            return "queue entry " + id + " of job " + jobId;
        }
    }
}
