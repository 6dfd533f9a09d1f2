package io.mediacompression.ops;

import io.mediacompression.job.Job;
import io.mediacompression.job.JobState;
import io.mediacompression.job.JobStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The job store as the rest of the service sees it, counting jobs as they reach an end state. Every flow (compress,
 * handshake, expiry) records its state changes here, so the counts hold whichever route made them.
 */
public final class MeteredJobStore implements JobStore, AutoCloseable {

    private final JobStore store;
    private final JobMetrics metrics;

    public MeteredJobStore(JobStore store, JobMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public Optional<Job> claim(Job job) {
        return store.claim(job);
    }

    @Override
    public Optional<Job> find(String mediaId) {
        return store.find(mediaId);
    }

    @Override
    public boolean update(Job job) {
        boolean replaced = store.update(job);
        if (replaced && job.state().isFinished()) {
            metrics.finished(job);
        }
        return replaced;
    }

    @Override
    public boolean updateIf(JobState expected, Job job) {
        boolean replaced = store.updateIf(expected, job);
        if (replaced && job.state().isFinished()) {
            metrics.finished(job);
        }
        return replaced;
    }

    @Override
    public void release(Job job) {
        store.release(job);
    }

    @Override
    public void heartbeat(Job job) {
        store.heartbeat(job);
    }

    @Override
    public List<Job> staleJobs(Instant before) {
        return store.staleJobs(before);
    }

    @Override
    public void maintain() {
        store.maintain();
    }

    /** The store underneath, for the beans that need more than the interface. */
    public JobStore unwrap() {
        return store;
    }

    @Override
    public void close() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
