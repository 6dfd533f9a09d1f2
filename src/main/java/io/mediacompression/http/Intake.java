package io.mediacompression.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mediacompression.job.Job;
import io.mediacompression.job.JobStatus;
import io.mediacompression.job.JobStore;
import io.mediacompression.media.ImageMetadata;
import io.mediacompression.media.MediaFormat;
import io.mediacompression.media.MediaKind;
import io.mediacompression.media.VideoOutputs;
import io.mediacompression.upload.StagingArea;
import io.mediacompression.upload.Upload;
import io.mediacompression.upload.UploadRefused;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Turns a staged upload into a queued job: checks the fields and the file's content, then claims the media id
 * in the job store (atomically, so that two instances cannot both take it).
 */
public final class Intake {

    /** What the LMS gets back at once. */
    public record Accepted(String status, String mediaId, String message) {
    }

    /** What `/video/receive` answers at once. */
    public record Queued(String status, @JsonProperty("video_id") String videoId) {
    }

    private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final JobStore jobs;
    private final long retryAfterSeconds;
    private final boolean storeCallbackSet;
    private final VideoOutputs defaultOutputs;

    public Intake(JobStore jobs, long retryAfterSeconds, boolean storeCallbackSet) {
        this(jobs, retryAfterSeconds, storeCallbackSet, VideoOutputs.MP4);
    }

    /** @param defaultOutputs what a video job delivers when its request has no `outputs` field (VIDEO_OUTPUTS) */
    public Intake(JobStore jobs, long retryAfterSeconds, boolean storeCallbackSet, VideoOutputs defaultOutputs) {
        this.jobs = jobs;
        this.retryAfterSeconds = retryAfterSeconds;
        this.storeCallbackSet = storeCallbackSet;
        this.defaultOutputs = defaultOutputs;
    }

    /** `POST /compress/`: the upload with its `media_id`, as a queued job that holds that id. */
    public Job openCompressJob(@Body Upload upload, @ExchangeProperty(StagingArea.PROPERTY) StagingArea staging) {
        String mediaId = validMediaId("media_id", upload.field("media_id").orElse(null));
        VideoOutputs outputs = outputs(upload);
        Upload.StagedFile file = checkedFile(upload);
        return claim(Job.queued(jobId(file), mediaId, file.format(), file.path().toString(), outputs), staging);
    }

    public Accepted accepted(Job job) {
        return new Accepted("accepted", job.mediaId(), "Compression started");
    }

    /** `/video/receive` needs somewhere to post the result: refused before the upload is read when it has none. */
    public void requireStoreCallback() {
        if (!storeCallbackSet) {
            throw new ApiException(503, new ApiException.ErrorBody("Handshake flow not configured",
                    "This service has no LMS_STORE_URL to deliver to"), Map.of());
        }
    }

    /** `POST /video/receive`: the video with its `video_id` and `organization_id`, as a job for the store callback. */
    public Job openStoreJob(@Body Upload upload, @ExchangeProperty(StagingArea.PROPERTY) StagingArea staging) {
        String videoId = validMediaId("video_id", upload.field("video_id").orElse(null));
        String organizationId = validMediaId("organization_id", upload.field("organization_id").orElse(null));
        VideoOutputs outputs = outputs(upload);
        Upload.StagedFile file = checkedFile(upload);
        return claim(Job.queuedForStore(jobId(file), videoId, organizationId, file.format(), file.path().toString(),
                outputs), staging);
    }

    public Queued queued(Job job) {
        return new Queued("queued", job.mediaId());
    }

    /** The queue took the job: its files are the worker's now. */
    public void handOver(@ExchangeProperty(StagingArea.PROPERTY) StagingArea staging) {
        staging.handOver();
    }

    /** The 503 answer when the work queue is full. */
    public Object queueFull(Exchange exchange) {
        return HttpAnswers.answer(exchange, ApiException.busy("The work queue is full; try again later", retryAfterSeconds));
    }

    /** `GET /status/{media_id}`. */
    public JobStatus status(@Header("mediaId") String mediaId) {
        String id = validMediaId("media_id", mediaId);
        return jobs.find(id).map(JobStatus::of).orElseGet(() -> JobStatus.notFound(id));
    }

    /** The request's `outputs` field (`mp4`, `hls` or `mp4,hls`), or VIDEO_OUTPUTS without one; images ignore it. */
    private VideoOutputs outputs(Upload upload) {
        Optional<String> field = upload.field("outputs");
        if (field.isEmpty()) {
            return defaultOutputs;
        }
        try {
            return VideoOutputs.parse(field.get());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid outputs", "'outputs' must be mp4, hls or mp4,hls");
        }
    }

    static String validMediaId(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest("Missing " + field, "The field '" + field + "' is required");
        }
        if (!MEDIA_ID.matcher(value).matches()) {
            throw ApiException.badRequest("Invalid " + field,
                    "'" + field + "' must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        return value;
    }

    private static Upload.StagedFile checkedFile(Upload upload) {
        Upload.StagedFile file = upload.stagedFile()
                .orElseThrow(() -> ApiException.badRequest("Missing file", "Send the media in the field 'file'"));
        checkContent(file);
        return file;
    }

    // the staging directory's UUID name is the job id
    private static String jobId(Upload.StagedFile file) {
        return file.path().getParent().getFileName().toString();
    }

    private Job claim(Job job, StagingArea staging) {
        jobs.claim(job).ifPresent(holder -> {
            throw ApiException.conflict(JobStatus.of(holder));
        });
        staging.claimed(job, jobs);
        return job;
    }

    private static void checkContent(Upload.StagedFile file) {
        if (file.size() == 0) {
            throw UploadRefused.unsupportedType("The file is empty");
        }
        byte[] head = new byte[MediaFormat.SIGNATURE_LENGTH];
        int read;
        try (InputStream in = Files.newInputStream(file.path())) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!file.format().matches(java.util.Arrays.copyOf(head, read))) {
            throw UploadRefused.unsupportedType("The content is not " + file.format().extension());
        }
        // FFmpeg 5.1 cannot decode animated WebP, and a still frame of an animation is not what was uploaded
        if (file.format().kind() == MediaKind.IMAGE && ImageMetadata.read(file.format(), file.path()).animated()) {
            throw UploadRefused.unsupportedType("Animated images are not supported");
        }
    }
}
