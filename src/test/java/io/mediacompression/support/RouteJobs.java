package io.mediacompression.support;

import io.mediacompression.job.CurrentJob;
import io.mediacompression.job.Job;
import io.mediacompression.job.JobDirectory;
import io.mediacompression.job.JobStore;
import io.mediacompression.media.MediaFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;

/**
 * Jobs for route tests, made the way the intake routes make them: a staged file in the job's own directory under
 * WORK_DIR, the job claimed in the `jobStore` bean and put on the work queue through `direct:queue-job`.
 */
public final class RouteJobs {

    private RouteJobs() {
    }

    /** A `/compress/` video job; its staged file is not real media: the tests replace ffprobe and FFmpeg. */
    public static Job video(CamelContext context, String mediaId) {
        String jobId = UUID.randomUUID().toString();
        return Job.queued(jobId, mediaId, MediaFormat.MP4, stage(context, jobId, "upload.mp4", new byte[] {0, 0, 0, 24}));
    }

    /** A `/compress/` video job whose staged file is a copy of real media. */
    public static Job video(CamelContext context, String mediaId, Path media) {
        String jobId = UUID.randomUUID().toString();
        try {
            return Job.queued(jobId, mediaId, MediaFormat.MP4, stage(context, jobId, "upload.mp4",
                    Files.readAllBytes(media)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A `/compress/` image job with a real 64x48 JPEG, which the planning step reads. */
    public static Job image(CamelContext context, String mediaId) {
        String jobId = UUID.randomUUID().toString();
        BufferedImage picture = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Path staged = Path.of(stage(context, jobId, "upload.jpg", new byte[0]));
        try {
            ImageIO.write(picture, "jpg", staged.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Job.queued(jobId, mediaId, MediaFormat.JPEG, staged.toString());
    }

    /** A `/video/receive` job, delivered to the LMS store callback. */
    public static Job storeVideo(CamelContext context, String videoId) {
        String jobId = UUID.randomUUID().toString();
        return Job.queuedForStore(jobId, videoId, "org-1", MediaFormat.MP4,
                stage(context, jobId, "upload.mp4", new byte[] {0, 0, 0, 24}));
    }

    /** Claims the job as intake does and queues it through the `queue-job` route. */
    public static Job queue(CamelContext context, Job job) {
        if (store(context).claim(job).isPresent()) {
            throw new IllegalStateException("media id already held: " + job.mediaId());
        }
        JobDirectory.mark(job);
        try (ProducerTemplate template = context.createProducerTemplate()) {
            template.sendBody("direct:queue-job", job);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return job;
    }

    /** Queues the job and waits for its exchange in `transcode` to end: delivery, retries and all. */
    public static String runToTheEnd(CamelContext context, Job job) {
        // this job's exchange only: another job's (one recovered at start, say) may end meanwhile
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("transcode")
                .filter(exchange -> isOf(exchange, job)).whenDone(1).create();
        queue(context, job);
        if (!done.matches(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the exchange of job " + job.mediaId() + " did not end within 10 s");
        }
        return status(context, job.mediaId());
    }

    private static boolean isOf(Exchange exchange, Job job) {
        Object current = exchange.getProperty(CurrentJob.PROPERTY);
        Object of = current != null ? current : exchange.getMessage().getBody();
        return of instanceof Job j && j.jobId().equals(job.jobId());
    }

    /** The `status` field `GET /status` would show. */
    public static String status(CamelContext context, String mediaId) {
        return store(context).find(mediaId).map(Job::status).orElse("not_found");
    }

    public static Job job(CamelContext context, String mediaId) {
        return store(context).find(mediaId).orElseThrow();
    }

    public static JobStore store(CamelContext context) {
        return context.getRegistry().lookupByNameAndType("jobStore", JobStore.class);
    }

    public static Path workDir(CamelContext context) {
        return Path.of(context.resolvePropertyPlaceholders("{{work.dir}}"));
    }

    public static Path outputDir(CamelContext context) {
        return Path.of(context.resolvePropertyPlaceholders("{{output.dir}}"));
    }

    private static String stage(CamelContext context, String jobId, String name, byte[] content) {
        try {
            Path dir = Files.createDirectories(workDir(context).resolve(jobId));
            return Files.write(dir.resolve(name), content).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
