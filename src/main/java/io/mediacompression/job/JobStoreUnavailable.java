package io.mediacompression.job;

/** The job store cannot be reached (Redis down or unreachable): intake answers 503 until it is back. */
public final class JobStoreUnavailable extends RuntimeException {

    public JobStoreUnavailable(Throwable cause) {
        super("The job store is unreachable", cause);
    }
}
