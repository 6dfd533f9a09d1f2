package io.mediacompression.job;

import io.mediacompression.media.FfmpegCommand;
import io.mediacompression.media.MediaFormat;
import io.mediacompression.media.Rendition;
import io.mediacompression.media.VideoOutputs;
import java.time.Instant;
import java.util.List;

/**
 * One compression job. {@code jobId} is a fresh UUID that also names the job's work directory; {@code stagedFile},
 * {@code outputFile} and {@code packageDir} (the HLS package folder) are local to the instance that received the
 * upload and are never shown to the client. {@code outputs} is what a video job delivers ({@code mp4}, {@code hls}
 * or {@code mp4,hls}; null in records written before it existed, meaning {@code mp4}); {@code hlsPath},
 * {@code posterPath}, {@code storyboardPath} and {@code renditions} describe the delivered HLS package.
 */
public record Job(
        String jobId,
        String mediaId,
        MediaFormat format,
        DeliveryTarget delivery,
        String organizationId,
        JobState state,
        String reason,
        Integer progress,
        String filePath,
        String stagedFile,
        String outputFile,
        Instant createdAt,
        Instant updatedAt,
        String outputs,
        String packageDir,
        List<Rendition> renditions,
        String hlsPath,
        String posterPath,
        String storyboardPath,
        String instance) {

    public Job {
        // a job is a value, shared between threads (RedisJobStore hands out one parsed job for an unchanged record)
        renditions = renditions == null ? null : List.copyOf(renditions);
    }

    /** A `/compress/` upload, delivered to the client's storage. */
    public static Job queued(String jobId, String mediaId, MediaFormat format, String stagedFile) {
        return queued(jobId, mediaId, format, stagedFile, VideoOutputs.MP4);
    }

    public static Job queued(String jobId, String mediaId, MediaFormat format, String stagedFile, VideoOutputs outputs) {
        Instant now = Instant.now();
        return new Job(jobId, mediaId, format, DeliveryTarget.CLIENT_STORAGE, null, JobState.QUEUED, null, null, null,
                stagedFile, null, now, now, outputs.text(), null, null, null, null, null, null);
    }

    /** A `/video/receive` upload, posted back to the LMS store callback. */
    public static Job queuedForStore(String jobId, String videoId, String organizationId, MediaFormat format,
                                     String stagedFile) {
        return queuedForStore(jobId, videoId, organizationId, format, stagedFile, VideoOutputs.MP4);
    }

    public static Job queuedForStore(String jobId, String videoId, String organizationId, MediaFormat format,
                                     String stagedFile, VideoOutputs outputs) {
        Instant now = Instant.now();
        return new Job(jobId, videoId, format, DeliveryTarget.STORE_CALLBACK, organizationId, JobState.QUEUED, null,
                null, null, stagedFile, null, now, now, outputs.text(), null, null, null, null, null, null);
    }

    /** What this job delivers; {@code mp4} for a record from before outputs existed. */
    public VideoOutputs videoOutputs() {
        return outputs == null ? VideoOutputs.MP4 : VideoOutputs.parse(outputs);
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
                outputFile, createdAt, started.updatedAt, outputs, packageDir, renditions, hlsPath, posterPath,
                storyboardPath, instanceId);
    }

    public Job withProgress(int percent) {
        return next(state, reason, percent, filePath, outputFile);
    }

    /** The compressed result is ready in the job's work directory. */
    public Job compressedTo(String localOutput) {
        return next(state, reason, 100, filePath, localOutput);
    }

    /** The compressed results are ready: the MP4 (null when not asked for) and the HLS package folder. */
    public Job compressedTo(String localOutput, String localPackage, List<Rendition> ladder) {
        return new Job(jobId, mediaId, format, delivery, organizationId, state, reason, 100, filePath, stagedFile,
                localOutput, createdAt, Instant.now(), outputs, localPackage, ladder == null ? null : List.copyOf(ladder),
                hlsPath, posterPath, storyboardPath, instance);
    }

    /** The result is delivered to {@code deliveredPath}; the LMS has not been told yet. */
    public Job deliveredTo(String deliveredPath) {
        return next(state, reason, progress, deliveredPath, outputFile);
    }

    /**
     * The HLS package is delivered as the folder {@code folder}: its master playlist, poster and storyboard are inside;
     * {@code filePath} is the master playlist unless an MP4 was delivered too.
     */
    public Job packageDeliveredTo(String folder) {
        String master = folder + "/" + FfmpegCommand.MASTER;
        String path = outputFile != null && filePath != null ? filePath : master;
        return new Job(jobId, mediaId, format, delivery, organizationId, state, reason, progress, path, stagedFile,
                outputFile, createdAt, Instant.now(), outputs, packageDir, renditions, master,
                folder + "/" + FfmpegCommand.POSTER, folder + "/" + FfmpegCommand.STORYBOARD_VTT, instance);
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
                output, createdAt, Instant.now(), outputs, packageDir, renditions, hlsPath, posterPath, storyboardPath,
                instance);
    }
}
