package io.mediacompression.job;

/**
 * Why a job ended as `failed: <reason>`. The message is short, human-readable and safe to show: no paths, no
 * stack traces, no secrets. It carries no stack trace of its own: it is an outcome, not a fault.
 */
public class JobFailure extends RuntimeException {

    public JobFailure(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
