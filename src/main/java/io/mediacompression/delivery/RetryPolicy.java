package io.mediacompression.delivery;

import java.time.Duration;

/**
 * How deliveries are retried (SFTP upload, LMS confirmation): {@code maxAttempts} attempts in all, the first retry
 * after {@code initialDelay}, each next one after twice the previous delay, never more than {@code maxDelay}.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalStateException("RETRY_MAX_ATTEMPTS must be at least 1");
        }
        if (initialDelay.compareTo(maxDelay) > 0) {
            throw new IllegalStateException("RETRY_INITIAL_DELAY must not be longer than RETRY_MAX_DELAY");
        }
    }

    /** Camel counts the retries after the first attempt. */
    public int maximumRedeliveries() {
        return maxAttempts - 1;
    }
}
