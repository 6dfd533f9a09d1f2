package io.mediacompression.job;

import io.mediacompression.media.MediaFormat;
import java.time.Instant;

/**
 * One compression job. {@code jobId} is a fresh UUID that also names the job's work directory; {@code stagedFile}
 * and {@code outputFile} are local to the instance that received the upload and are never shown to the client.
 */
public record Job(
        String jobId,
        String mediaId,
        MediaFormat format,
        Delivery delivery,
        String organizationId,
        JobState state,
        String reason,
        Integer progress,
        String filePath,
        String stagedFile,
        String outputFile,
        Instant createdAt,
        Instant updatedAt,
        String instance) {

    /** A `/compress/` upload, delivered to the client's storage. */
    public static Job queued(String jobId, String mediaId, MediaFormat format, String stagedFile) {
        Instant now = Instant.now();
        return new Job(jobId, mediaId, format, Delivery.CLIENT_STORAGE, null, JobState.QUEUED, null, null, null,
                stagedFile, null, now, now, null);
    }

    /** A `/video/receive` upload, posted back to the LMS store callback. */
    public static Job queuedForStore(String jobId, String videoId, String organizationId, MediaFormat format,
                                     String stagedFile) {
        Instant now = Instant.now();
        return new Job(jobId, videoId, format, Delivery.STORE_CALLBACK, organizationId, JobState.QUEUED, null, null,
                null, stagedFile, null, now, now, null);
    }

    /** The status string of the contract: the state's name, or `failed: <reason>`. */
    public String status() {
        return state == JobState.FAILED ? "failed: " + reason : state.wire();
    }

    public Job processing() {
        return next(JobState.PROCESSING, null, 0, null, outputFile);
    }

    /** Started (again) by a worker of the instance {@code instanceId}, which {@code GET /status} shows. */
    public Job processingOn(String instanceId) {
        Job started = processing();
        return new Job(jobId, mediaId, format, delivery, organizationId, started.state, null, 0, null, stagedFile,
                outputFile, createdAt, started.updatedAt, instanceId);
    }

    public Job withProgress(int percent) {
        return next(state, reason, percent, filePath, outputFile);
    }

    /** The compressed result is ready in the job's work directory. */
    public Job compressedTo(String localOutput) {
        return next(state, reason, 100, filePath, localOutput);
    }

    /** The result is delivered to {@code deliveredPath}; the LMS has not been told yet. */
    public Job deliveredTo(String deliveredPath) {
        return next(state, reason, progress, deliveredPath, outputFile);
    }

    public Job completed() {
        return next(JobState.COMPLETED, null, null, filePath, outputFile);
    }

    public Job failed(String why) {
        return next(JobState.FAILED, why, null, filePath, outputFile);
    }

    public Job inState(JobState nextState) {
        return next(nextState, null, null, filePath, outputFile);
    }

    private Job next(JobState nextState, String why, Integer percent, String path, String output) {
        return new Job(jobId, mediaId, format, delivery, organizationId, nextState, why, percent, path, stagedFile,
                output, createdAt, Instant.now(), instance);
    }
}
