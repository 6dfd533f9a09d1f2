package io.mediacompression.job;

import org.apache.camel.Exchange;

/**
 * The job a worker exchange carries, as the exchange property {@value #PROPERTY}, kept in step with the store: a step
 * that moves the job on records the next state ({@link #record}) and returns it, and the route sets it as the property.
 */
public final class CurrentJob {

    public static final String PROPERTY = "job";

    private CurrentJob() {
    }

    public static Job of(Exchange exchange) {
        Job job = exchange.getProperty(PROPERTY, Job.class);
        if (job == null) {
            throw new IllegalStateException("No job on this exchange");
        }
        return job;
    }

    /**
     * Records the job's next state in the store and names the job in this thread's log context: a delivery retried
     * after a delay goes on on another thread than the one that started the job. The job's exchange ends it there
     * ({@link JobLogContext#leave()} in the worker's clean-up).
     */
    public static Job record(JobStore store, Job next) {
        JobLogContext.enter(next);
        store.update(next);
        return next;
    }
}
