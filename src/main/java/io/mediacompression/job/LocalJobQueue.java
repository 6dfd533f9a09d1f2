package io.mediacompression.job;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import org.apache.camel.Body;
import org.apache.camel.Exchange;

/** JOB_QUEUE=local: the seda queue `jobs` of this instance; its consumers are the workers. */
public final class LocalJobQueue implements JobQueue {

    /** The key of the queue `seda:jobs` in Camel's seda component: its endpoint URI as Camel normalises it. */
    public static final String SEDA_KEY = "seda://jobs";

    private final Supplier<BlockingQueue<Exchange>> queue;

    /** @param queue the seda queue, or null until the routes have created it */
    public LocalJobQueue(Supplier<BlockingQueue<Exchange>> queue) {
        this.queue = queue;
    }

    /** Never called: with JOB_QUEUE=local the `queue-job` route sends the job to the seda endpoint itself. */
    @Override
    public void publish(@Body Job job) {
        throw new UnsupportedOperationException("the local queue is the seda endpoint of the queue-job route");
    }

    @Override
    public long waiting() {
        BlockingQueue<Exchange> jobs = queue.get();
        return jobs == null ? 0 : jobs.size();
    }

    @Override
    public Duration oldestWaiting() {
        BlockingQueue<Exchange> jobs = queue.get();
        Exchange head = jobs == null ? null : jobs.peek();
        Object body = head == null ? null : head.getMessage().getBody();
        return body instanceof Job job && job.createdAt() != null
                ? Duration.between(job.createdAt(), Instant.now()) : Duration.ZERO;
    }

    @Override
    public boolean full() {
        BlockingQueue<Exchange> jobs = queue.get();
        return jobs != null && jobs.remainingCapacity() == 0;
    }

    /** Nothing to do: a seda consumer that hands a job to delivery takes its next job as soon as delivery waits. */
    @Override
    public void compressed(Exchange exchange) {
    }
}
