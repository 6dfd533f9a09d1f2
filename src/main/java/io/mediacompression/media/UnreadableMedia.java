package io.mediacompression.media;

import io.mediacompression.job.JobFailure;

/** The staged file is not media the service can compress; the message is safe to show to the LMS. */
public final class UnreadableMedia extends JobFailure {

    public UnreadableMedia(String reason) {
        super(reason);
    }
}
