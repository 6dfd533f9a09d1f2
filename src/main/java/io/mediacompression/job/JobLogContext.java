package io.mediacompression.job;

import org.slf4j.MDC;

/**
 * The job a thread's log lines are about: the `mediaId` field of the JSON log line and of the console pattern. The
 * one place that sets and clears it, either for a block (try-with-resources) or for the rest of a job's exchange.
 */
public final class JobLogContext implements AutoCloseable {

    private static final String MEDIA_ID = "mediaId";

    private final String previous;

    private JobLogContext(String previous) {
        this.previous = previous;
    }

    /** Names the job on this thread's lines until closed; then they are about what they were about before. */
    public static JobLogContext of(String mediaId) {
        String previous = MDC.get(MEDIA_ID);
        MDC.put(MEDIA_ID, mediaId);
        return new JobLogContext(previous);
    }

    public static JobLogContext of(Job job) {
        return of(job.mediaId());
    }

    /**
     * Names the job on this thread's lines, Camel's own included, for the rest of the job's exchange on it: a step
     * retried after a delay goes on on another thread than the one that started the job. {@link #leave()} ends it.
     */
    public static void enter(Job job) {
        MDC.put(MEDIA_ID, job.mediaId());
    }

    /** The job's exchange is over on this thread: its next lines are about no job. */
    public static void leave() {
        MDC.remove(MEDIA_ID);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(MEDIA_ID);
        } else {
            MDC.put(MEDIA_ID, previous);
        }
    }
}
