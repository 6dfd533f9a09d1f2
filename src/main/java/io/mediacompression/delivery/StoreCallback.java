package io.mediacompression.delivery;

import io.mediacompression.job.CurrentJob;
import io.mediacompression.job.Job;
import io.mediacompression.job.JobDirectory;
import io.mediacompression.job.JobLogContext;
import io.mediacompression.job.JobState;
import io.mediacompression.job.JobStore;
import io.mediacompression.media.Compression;
import io.mediacompression.media.HlsPackage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.entity.mime.FileBody;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery of the handshake flow: the compressed video is posted to `LMS_STORE_URL` as multipart/form-data
 * ({@code video_id}, {@code organization_id}, {@code file}, and an {@code hls} part per file of an HLS package) by
 * the `store-callback` route, which retries the post
 * with backoff. The file is streamed from disk on every attempt, never held in memory.
 */
public final class StoreCallback {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCallback.class);

    private final JobStore jobs;
    private final int maxAttempts;

    public StoreCallback(JobStore jobs, int maxAttempts) {
        this.jobs = jobs;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Offers the compressed file to the LMS: from here on the job awaits confirmation (the LMS may confirm before the
     * post has even been answered) and keeps its file, marked for the sweep. Returns the job awaiting confirmation, for
     * the job property.
     */
    public Job offer(@ExchangeProperty(CurrentJob.PROPERTY) Job job) {
        try (JobLogContext ignored = JobLogContext.of(job)) {
            JobDirectory.mark(job);
            Job offered = CurrentJob.record(jobs, job.inState(JobState.AWAITING_CONFIRMATION));
            LOG.info("Posting the compressed video to the LMS store");
            return offered;
        }
    }

    /** The body of the post: the job's multipart request entity (see {@link #entity(Job)}). */
    public HttpEntity request(@ExchangeProperty(CurrentJob.PROPERTY) Job job) {
        return entity(job);
    }

    /**
     * The multipart body: the ids as plain form fields, the MP4 under its own UUID name (when the job has one) and,
     * for a job with HLS, one part named {@code hls} per file of the package, whose filename is its path inside the
     * package ({@code master.m3u8}, {@code 720p/segment-00003.m4s}). Its length is known and it reopens each file on
     * every write, so it is repeatable: each retry sends everything again.
     */
    static HttpEntity entity(Job job) {
        MultipartEntityBuilder body = MultipartEntityBuilder.create()
                // as a browser form sends it: no charset on the body, no Content-Type on the plain fields
                .setMode(HttpMultipartMode.LEGACY)
                .setContentType(ContentType.create("multipart/form-data"))
                .addTextBody("video_id", job.mediaId())
                .addTextBody("organization_id", job.organizationId());
        if (job.outputFile() != null) {
            File file = Path.of(job.outputFile()).toFile();
            body.addPart("file", new FileBody(file,
                    ContentType.create("video/" + Compression.outputExtension(job.format())), file.getName()));
        }
        if (job.packageDir() != null) {
            Path folder = Path.of(job.packageDir());
            for (String name : HlsPackage.files(folder)) {
                body.addPart("hls", new FileBody(folder.resolve(name).toFile(), contentType(name), name));
            }
        }
        return body.build();
    }

    // the types a web server gives these files (RFC 8216 section 4, WebVTT, ISO BMFF segments)
    private static ContentType contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return ContentType.create(switch (extension) {
            case "m3u8" -> "application/vnd.apple.mpegurl";
            case "m4s" -> "video/iso.segment";
            case "mp4" -> "video/mp4";
            case "jpg" -> "image/jpeg";
            case "vtt" -> "text/vtt";
            default -> "application/octet-stream";
        });
    }

    /** The LMS answered 200: its confirmation (or the TTL) decides what happens to the file. */
    public void stored(@ExchangeProperty(CurrentJob.PROPERTY) Job job) {
        try (JobLogContext ignored = JobLogContext.of(job)) {
            LOG.info("The LMS stored the video; waiting for its confirmation");
        }
    }

    /** One attempt failed and another follows; logged without the URL, which may carry a token. */
    public void retrying(Exchange exchange) {
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        try (JobLogContext ignored = JobLogContext.of(CurrentJob.of(exchange))) {
            LOG.warn("LMS store attempt {} of {} failed ({}); retrying", attempt, maxAttempts, reason(cause));
        }
    }

    /**
     * The retries are exhausted: the job fails with a short reason, unless it was confirmed or expired meanwhile.
     * Either way its files are deleted when the exchange ends. Returns the failed job, for the job property.
     */
    public Job gaveUp(@ExchangeProperty(CurrentJob.PROPERTY) Job job,
                      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        String reason = reason(cause);
        Job failed = job.failed(reason);
        try (JobLogContext ignored = JobLogContext.of(job)) {
            boolean recorded = job.state() == JobState.AWAITING_CONFIRMATION
                    ? jobs.updateIf(JobState.AWAITING_CONFIRMATION, failed)
                    : jobs.update(failed);
            if (recorded) {
                LOG.warn("Job failed: {}", reason);
            } else {
                LOG.warn("The LMS store post failed ({}), but the job was confirmed or expired meanwhile", reason);
            }
            if (!(cause instanceof HttpOperationFailedException) && !(cause instanceof IOException)) {
                LOG.error("Store callback failed", cause);
            }
        }
        return failed;
    }

    static String reason(Throwable cause) {
        if (cause instanceof HttpOperationFailedException http) {
            return "the LMS store answered HTTP " + http.getStatusCode();
        }
        if (cause instanceof IOException) {
            return "the LMS store could not be reached";
        }
        return "internal error";
    }
}
