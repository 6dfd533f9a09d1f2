package io.mediacompression.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.Predicate;

/** Waits until a job of a running service gets where a test waits for it: see {@link RunningService#awaitStatus}. */
public final class AwaitJob {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private AwaitJob() {
    }

    /** Waits until the job is no longer queued or processing, and returns its status body. */
    public static JsonNode finished(RunningService service, String mediaId) throws Exception {
        return service.awaitStatus(mediaId, s -> !s.path("status").asText().matches("queued|processing|not_found"),
                "a finished job", TIMEOUT);
    }

    /** Waits until the job's status body matches, and returns it; fails at once on a {@code failed: ...} status. */
    public static JsonNode until(RunningService service, String mediaId, Predicate<JsonNode> done) throws Exception {
        return service.awaitStatus(mediaId, done, "the test's condition", TIMEOUT);
    }
}
