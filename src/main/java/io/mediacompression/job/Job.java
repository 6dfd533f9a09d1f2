package io.mediacompression.job;

import io.mediacompression.media.MediaFormat;
import java.time.Instant;

/**
 * One compression job. {@code jobId} is a fresh UUID that also names the job's work directory; {@code stagedFile}
 * is local to the instance that received the upload and is never shown to the client.
 */
public record Job(
        String jobId,
        String mediaId,
        MediaFormat format,
        JobState state,
        String reason,
        Integer progress,
        String filePath,
        String stagedFile,
        Instant createdAt,
        Instant updatedAt) {

    public static Job queued(String jobId, String mediaId, MediaFormat format, String stagedFile) {
        Instant now = Instant.now();
        return new Job(jobId, mediaId, format, JobState.QUEUED, null, null, null, stagedFile, now, now);
    }

    /** The status string of the contract: the state's name, or `failed: <reason>`. */
    public String status() {
        return state == JobState.FAILED ? "failed: " + reason : state.wire();
    }

    public Job processing() {
        return new Job(jobId, mediaId, format, JobState.PROCESSING, null, 0, null, stagedFile, createdAt, Instant.now());
    }

    public Job withProgress(int percent) {
        return new Job(jobId, mediaId, format, state, reason, percent, filePath, stagedFile, createdAt, Instant.now());
    }

    public Job completed(String deliveredPath) {
        return new Job(jobId, mediaId, format, JobState.COMPLETED, null, null, deliveredPath, stagedFile, createdAt,
                Instant.now());
    }

    public Job failed(String why) {
        return new Job(jobId, mediaId, format, JobState.FAILED, why, null, filePath, stagedFile, createdAt, Instant.now());
    }

    public Job inState(JobState next) {
        return new Job(jobId, mediaId, format, next, null, null, filePath, stagedFile, createdAt, Instant.now());
    }
}
