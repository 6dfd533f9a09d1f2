package io.mediacompression.job;

import io.mediacompression.media.Compression;
import io.mediacompression.media.MediaProbe;
import io.mediacompression.media.UnreadableMedia;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the transcode route: take a queued job, prepare the ffprobe and FFmpeg runs, check the result, record
 * the outcome. Whatever the outcome, the job's work directory is emptied when its exchange ends (a handshake job
 * waiting for confirmation keeps only its compressed file).
 */
public final class Worker {

    /** The compression of the exchange's job, between planning and finishing. */
    public static final String RUN_PROPERTY = "compressionRun";

    /** True while the transcode route has an FFmpeg run to make (its `encode-until-it-fits` loop). */
    public static final String FFMPEG_PENDING_PROPERTY = "ffmpegPending";

    /** True when the transcode route runs ffprobe: a video whose own header did not say all that planning needs. */
    public static final String FFPROBE_NEEDED_PROPERTY = "ffprobeNeeded";

    /** A video's probe read from its header, when no ffprobe run is needed. */
    static final String PROBE_PROPERTY = "mediaProbe";

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final JobStore jobs;
    private final Compression compression;
    private final ProgressWatch progress;
    private final ShutdownState shutdown;
    private final String ffmpegPath;
    private final String ffprobePath;
    private final CpuPriority ffmpegPriority;
    private final String instanceId;

    /**
     * @param ffmpegPriority FFmpeg and ffprobe run at this CPU priority, so that the API keeps the CPU it needs while
     *                       jobs compress
     * @param instanceId     INSTANCE_ID, recorded in the job as the instance whose worker has it
     */
    public Worker(JobStore jobs, Compression compression, ProgressWatch progress, ShutdownState shutdown,
                  String ffmpegPath, String ffprobePath, CpuPriority ffmpegPriority, String instanceId) {
        this.jobs = jobs;
        this.compression = compression;
        this.progress = progress;
        this.shutdown = shutdown;
        this.ffmpegPath = ffmpegPath;
        this.ffprobePath = ffprobePath;
        this.ffmpegPriority = ffmpegPriority;
        this.instanceId = instanceId;
    }

    /**
     * Marks the job processing and reads what planning needs of a video from its header, or sets up the ffprobe run
     * when the header does not say it all.
     */
    public void start(Exchange exchange) {
        Job job = exchange.getMessage().getBody(Job.class);
        // the upload's request headers (its API key among them) must not travel on to FFmpeg, SFTP or the LMS
        exchange.getMessage().removeHeaders("*");
        exchange.setProperty(CurrentJob.PROPERTY, job);
        exchange.getExchangeExtension().addOnCompletion(new Cleanup(job.jobId()));
        exchange.setProperty(CurrentJob.PROPERTY, CurrentJob.record(jobs, job.processingOn(instanceId)));
        LOG.info("Job started: {} {}", job.format().kind().name().toLowerCase(), job.format().extension());
        boolean ffprobe = false;
        if (Compression.needsProbe(job.format())) {
            Path staged = Path.of(job.stagedFile());
            Optional<MediaProbe> header = compression.probeFromHeader(job.format(), staged);
            header.ifPresent(probe -> exchange.setProperty(PROBE_PROPERTY, probe));
            ffprobe = header.isEmpty();
            if (ffprobe) {
                execute(exchange, ffprobePath, compression.probeArguments(staged));
            }
        }
        exchange.setProperty(FFPROBE_NEEDED_PROPERTY, ffprobe);
    }

    /** Reads ffprobe's answer (or takes the header's probe, or the image's header) and sets up the FFmpeg run. */
    public void plan(Exchange exchange) {
        Job job = CurrentJob.of(exchange);
        // a video's header probe, or ffprobe's answer when the header did not say it all; an image needs neither
        MediaProbe probe = exchange.getProperty(PROBE_PROPERTY, MediaProbe.class);
        if (probe == null && exchange.getProperty(FFPROBE_NEEDED_PROPERTY, false, Boolean.class)) {
            probe = MediaProbe.parse(exchange.getMessage().getBody(String.class));
        }
        Compression.Run run = compression.plan(job.format(), Path.of(job.stagedFile()), probe, job.videoOutputs());
        exchange.setProperty(RUN_PROPERTY, run);
        exchange.setProperty(FFMPEG_PENDING_PROPERTY, true);
        if (run.plan().durationSeconds() > 0) {
            progress.watch(job, run.progress(), run.plan().durationSeconds());
        }
        if (run.ladder() != null) {
            LOG.info("Compressing: HLS ladder {}{} in one run: ffmpeg {}", run.ladder().rungs().stream()
                    .map(r -> r.width() + "x" + r.height()).toList(), run.output() != null ? " and MP4" : "",
                    String.join(" ", run.plan().arguments()));
        } else {
            LOG.info("Compressing: {} to {}x{}: ffmpeg {}", run.plan().remux() ? "remux" : "encode", run.plan().width(),
                    run.plan().height(), String.join(" ", run.plan().arguments()));
        }
        execute(exchange, ffmpegPath, run.plan().arguments());
    }

    /**
     * Checks FFmpeg's result: the job now has its compressed file, or (an image that came out larger than its upload)
     * FFmpeg runs again at a coarser quality.
     */
    public void compressed(Exchange exchange) {
        Job job = CurrentJob.of(exchange);
        progress.unwatch(job.jobId());
        Compression.Outcome outcome = compression.finish(exchange.getProperty(RUN_PROPERTY, Compression.Run.class));
        if (outcome instanceof Compression.EncodeAgain again) {
            exchange.setProperty(RUN_PROPERTY, again.run());
            LOG.info("Larger than the upload: encoding again at quality step {}: ffmpeg {}", again.run().step(),
                    String.join(" ", again.run().plan().arguments()));
            execute(exchange, ffmpegPath, again.run().plan().arguments());
            return;
        }
        Compression.Done done = (Compression.Done) outcome;
        Path output = done.output();
        if (done.largerThanUpload()) {
            LOG.warn("Delivered larger than the upload: even the coarsest quality did not bring the resized image under it");
        }
        exchange.setProperty(FFMPEG_PENDING_PROPERTY, false);
        if (done.packageDir() != null) {
            exchange.setProperty(CurrentJob.PROPERTY, CurrentJob.record(jobs, job.compressedTo(
                    output == null ? null : output.toString(), done.packageDir().toString(), done.renditions())));
            LOG.info("Compressed: HLS package of {} renditions{}", done.renditions().size(),
                    output == null ? "" : ", MP4 of " + size(output) + " bytes");
        } else {
            exchange.setProperty(CurrentJob.PROPERTY, CurrentJob.record(jobs, job.compressedTo(output.toString())));
            LOG.info("Compressed: {} bytes", size(output));
        }
    }

    /** The job is delivered and the LMS told: done. The route sets the completed job as the job property. */
    public Job completed(@ExchangeProperty(CurrentJob.PROPERTY) Job job) {
        Job done = CurrentJob.record(jobs, job.completed());
        LOG.info("Job completed: {}", done.filePath());
        return done;
    }

    /**
     * Ends the job as `failed: <reason>`, with a reason safe to show; the details go to the log. Returns the job as it
     * now stands, for the route to set as the job property: unchanged when it was not this failure that ended it.
     */
    public Job failed(@ExchangeProperty(CurrentJob.PROPERTY) Job job,
                      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause,
                      @ExchangeProperty(Exchange.FAILURE_ENDPOINT) String failedEndpoint) {
        if (shutdown.isStopping()) {
            // stopped by the shutdown, not by its media: left as it is, with its files, for recovery at the next start
            return job;
        }
        if (cause instanceof JobTakenOver) {
            LOG.warn("Job stopped: {}", cause.getMessage());
            return job;
        }
        boolean stalled = progress.unwatch(job.jobId());
        String reason = reason(cause, failedEndpoint, stalled);
        Job failed = CurrentJob.record(jobs, job.failed(reason));
        if (cause instanceof ExecException exec) {
            LOG.warn("Job failed: {} (exit {}: {})", reason, exec.getExitValue(), stderr(exec));
        } else if (cause instanceof UnreadableMedia) {
            LOG.warn("Job failed: {}", reason);
        } else {
            LOG.error("Job failed: {}", reason, cause);
        }
        return failed;
    }

    static String reason(Throwable cause, String failedEndpoint, boolean stalled) {
        if (cause instanceof UnreadableMedia unreadable) {
            return unreadable.reason();
        }
        if (cause instanceof ExecException exec) {
            boolean probe = failedEndpoint != null && failedEndpoint.contains("ffprobe");
            if (probe) {
                return "the file could not be read as media";
            }
            if (stalled) {
                return "compression stalled";
            }
            if (exec.getExitValue() == 143 || exec.getExitValue() == 137) {
                return "compression timed out";
            }
            if (stderr(exec).contains("No space left on device")) {
                return "not enough disk space";
            }
            return "the file could not be decoded";
        }
        return "internal error";
    }

    // The next exec step runs the program with these arguments (a list, never through a shell) and an empty stdin.
    private void execute(Exchange exchange, String program, List<String> arguments) {
        List<String> command = ffmpegPriority.command(program, arguments);
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, command.get(0));
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_ARGS, command.subList(1, command.size()));
        exchange.getMessage().setBody("");
    }

    private static String stderr(ExecException exec) {
        try (InputStream err = exec.getStderr()) {
            if (err == null) {
                return "";
            }
            String text = new String(err.readNBytes(2000), StandardCharsets.UTF_8).strip();
            return text.replace('\n', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Empties the job's work directory when its exchange ends, whatever the outcome. */
    private final class Cleanup extends SynchronizationAdapter {
        private final String jobId;

        Cleanup(String jobId) {
            this.jobId = jobId;
        }

        @Override
        public void onDone(Exchange exchange) {
            progress.unwatch(jobId);
            Job job = CurrentJob.of(exchange);
            // the exchange may end on another thread than the one that started it (a delivery retried on a timer)
            JobLogContext.enter(job);
            try {
                if (Boolean.TRUE.equals(exchange.getProperty(JobTakenOver.PROPERTY, Boolean.class))) {
                    return; // the files are the other worker's now
                }
                if (shutdown.isStopping() && job.state().isActive()) {
                    LOG.warn("Job interrupted by shutdown: left {} with its files for recovery", job.status());
                    return;
                }
                emptyDirectory(job);
            } finally {
                JobLogContext.leave();
            }
        }

        private void emptyDirectory(Job job) {
            Path directory = Path.of(job.stagedFile()).getParent();
            try {
                if (job.state() == JobState.AWAITING_CONFIRMATION
                        && (job.outputFile() != null || job.packageDir() != null)) {
                    if (!Files.isDirectory(directory)) {
                        return; // confirmed while the store callback was still running: already deleted
                    }
                    // the compressed file and package wait for /video/confirm; the marker tells the sweep whose they are
                    Set<Path> kept = new HashSet<>();
                    kept.add(directory.resolve(JobDirectory.MARKER));
                    if (job.outputFile() != null) {
                        kept.add(Path.of(job.outputFile()));
                    }
                    if (job.packageDir() != null) {
                        kept.add(Path.of(job.packageDir()));
                    }
                    try (Stream<Path> files = Files.list(directory)) {
                        for (Path p : files.filter(p -> !kept.contains(p)).toList()) {
                            JobDirectory.deleteRecursively(p);
                        }
                    }
                } else {
                    JobDirectory.deleteRecursively(directory);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("Could not empty the job's work directory", e);
            }
        }
    }
}
