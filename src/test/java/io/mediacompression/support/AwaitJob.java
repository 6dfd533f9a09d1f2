package io.mediacompression.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** Polls `GET /status/{media_id}` of a running service until the job gets where a test waits for it. */
public final class AwaitJob {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private AwaitJob() {
    }

    /** Waits until the job is no longer queued or processing, and returns its status body. */
    public static JsonNode finished(RunningService service, String mediaId) throws Exception {
        return until(service, mediaId, s -> !s.path("status").asText().matches("queued|processing|not_found"));
    }

    /** Waits until the job's status body matches, and returns it. */
    public static JsonNode until(RunningService service, String mediaId, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        JsonNode status;
        do {
            status = JSON.readTree(service.status(mediaId).body());
            if (done.test(status)) {
                return status;
            }
            Thread.sleep(25);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("job " + mediaId + " still at " + status + " after " + TIMEOUT.toSeconds() + " s");
    }
}
