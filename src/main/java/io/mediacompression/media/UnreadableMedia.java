package io.mediacompression.media;

/**
 * The staged file is not media the service can compress: the job ends as `failed: <reason>`. The message is short,
 * human-readable and safe to show to the LMS: no paths, no stack traces, no secrets. It carries no stack trace of its
 * own: it is an outcome, not a fault.
 */
public final class UnreadableMedia extends RuntimeException {

    public UnreadableMedia(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
