package io.mediacompression.job;

import org.apache.camel.Exchange;

/** The job a worker exchange carries, as the exchange property {@value #PROPERTY}, kept in step with the store. */
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
     * Records the job's next state in the store and on the exchange, and names the job in this thread's log context:
     * a delivery retried after a delay goes on on another thread than the one that started the job.
     */
    public static Job advance(Exchange exchange, JobStore store, Job next) {
        JobLogContext.enter(next);
        store.update(next);
        exchange.setProperty(PROPERTY, next);
        return next;
    }
}
