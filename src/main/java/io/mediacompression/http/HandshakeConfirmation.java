package io.mediacompression.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.mediacompression.job.DeliveryTarget;
import io.mediacompression.job.Job;
import io.mediacompression.job.JobDirectory;
import io.mediacompression.job.JobLogContext;
import io.mediacompression.job.JobState;
import io.mediacompression.job.JobStore;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `POST /video/confirm`: the LMS has stored the video, so the job is completed and its files go. The state change is
 * made in the job store, so it holds whichever instance the confirmation lands on; the files are deleted here when
 * this instance holds them, otherwise by their owner's sweep.
 */
public final class HandshakeConfirmation {

    /** The answer of the contract. */
    public record Confirmed(String status, @JsonProperty("video_id") String videoId) {
    }

    /** A refused confirmation: what went wrong and, for a job that exists, where it stands. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Refusal(String error, String message, @JsonProperty("video_id") String videoId, String status) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeConfirmation.class);

    private final JobStore jobs;
    private final Path workDir;

    public HandshakeConfirmation(JobStore jobs, Path workDir) {
        this.jobs = jobs;
        this.workDir = workDir;
    }

    public Confirmed confirm(Exchange exchange) {
        String videoId = Intake.validMediaId("video_id", formField(exchange, "video_id"));
        try (JobLogContext ignored = JobLogContext.of(videoId)) {
            Job job = find(videoId);
            if (job.delivery() == DeliveryTarget.STORE_CALLBACK && job.state() == JobState.AWAITING_CONFIRMATION) {
                if (!jobs.updateIf(JobState.AWAITING_CONFIRMATION, job.completed())) {
                    job = requireConfirmed(find(videoId)); // expired, failed or replaced since it was read
                }
            } else {
                requireConfirmed(job); // a confirmation sent again (its answer was lost) gets the same answer
            }
            LOG.info("Handshake confirmed by the LMS: job completed");
            JobDirectory.of(workDir, job.jobId()).ifPresent(JobDirectory::delete);
            return new Confirmed("completed", videoId);
        }
    }

    private Job find(String videoId) {
        return jobs.find(videoId).orElseThrow(() -> new ApiException(404,
                new Refusal("Unknown video_id", "No job has this video_id", videoId, null), Map.of()));
    }

    private static Job requireConfirmed(Job job) {
        if (job.delivery() != DeliveryTarget.STORE_CALLBACK || job.state() != JobState.COMPLETED) {
            throw new ApiException(409, new Refusal("Not awaiting confirmation",
                    "Only a job awaiting confirmation can be confirmed", job.mediaId(), job.status()), Map.of());
        }
        return job;
    }

    /** The only accepted body is a small urlencoded form (Vert.x has buffered it within camel.server.maxBodySize). */
    private static String formField(Exchange exchange, String name) {
        HttpServerRequest request = exchange.getIn(HttpMessage.class).getRequest();
        String contentType = Optional.ofNullable(request.getHeader(HttpHeaders.CONTENT_TYPE)).orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new ApiException(415, new ApiException.ErrorBody("Unsupported media type",
                    "Send video_id as application/x-www-form-urlencoded"), Map.of());
        }
        List<String> values = request.formAttributes().getAll(name);
        if (values.size() > 1) {
            throw ApiException.badRequest("Invalid request", "The field '" + name + "' was sent more than once");
        }
        return values.isEmpty() ? null : values.get(0);
    }
}
