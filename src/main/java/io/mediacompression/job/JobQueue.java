package io.mediacompression.job;

import java.time.Duration;
import org.apache.camel.Body;
import org.apache.camel.Exchange;

/**
 * The queue between intake and the workers of the `transcode` route (JOB_QUEUE): this instance's seda queue
 * ({@link LocalJobQueue}) or one Redis Stream shared by every instance ({@link RedisJobQueue}).
 */
public interface JobQueue {

    /** The `publish-job` step of `queue-job` with JOB_QUEUE=redis: the job, the body, goes on the queue. */
    void publish(@Body Job job);

    /** Jobs waiting for a worker. */
    long waiting();

    /** How long the oldest waiting job has waited; zero when none waits. */
    Duration oldestWaiting();

    /** No room for another job: intake answers 503 with Retry-After. */
    boolean full();

    /** The `free-worker` step of `transcode`: the job's compression is over and only its delivery follows. */
    void compressed(Exchange exchange);
}
