package io.mediacompression.delivery;

import java.time.Duration;
import org.apache.camel.LoggingLevel;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

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

    /**
     * The one redelivery policy of the three retry configurations in routes/errors/ (`redeliveryPolicyRef:
     * deliveryRetries`). Built here because Camel takes its delays in milliseconds only: a YAML policy would need
     * derived `-ms` properties, and YAML beans are read before the settings are.
     */
    public RedeliveryPolicy redeliveryPolicy() {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(maximumRedeliveries());
        policy.setRedeliveryDelay(initialDelay.toMillis());
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(2);
        policy.setMaximumRedeliveryDelay(maxDelay.toMillis());
        // the wait is a timer, not a sleeping worker thread: other jobs go on compressing meanwhile
        policy.setAsyncDelayedRedelivery(true);
        policy.setRetryAttemptedLogLevel(LoggingLevel.WARN);
        return policy;
    }
}
