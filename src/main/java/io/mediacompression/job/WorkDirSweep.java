package io.mediacompression.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's WORK_DIR and the job store in step, so that no job is stuck and no file is left behind.
 *
 * <p>At start-up ({@link #recover()}, the `recover-jobs` route) the jobs whose files this instance still holds, queued
 * or processing when it stopped or died, are queued again; FFmpeg runs orphaned by a crash are stopped first.
 *
 * <p>On a timer ({@link #sweep()}, the `sweep-work-dir` route) each job directory is checked against the store: an
 * active job gets its heartbeat; a handshake job unconfirmed past the TTL is expired; the files of a job that is over
 * (possibly ended on another instance), superseded or forgotten are deleted, and so is a directory without a job that
 * is older than the orphan age (an upload cut off by a crash). Then every job that no instance has vouched for within
 * the stale time is failed as interrupted, whichever instance held it.
 */
public final class WorkDirSweep {

    private static final Logger LOG = LoggerFactory.getLogger(WorkDirSweep.class);

    private final Path workDir;
    private final JobStore jobs;
    private final Duration handshakeTtl;
    private final Duration orphanAge;
    private final Duration staleAfter;
    private final Clock clock;
    private final Instant startedAt;
    private final boolean sharedWorkDir;
    private volatile boolean recovered;

    public WorkDirSweep(Path workDir, JobStore jobs, Duration handshakeTtl, Duration orphanAge, Duration staleAfter,
                        Clock clock) {
        this(workDir, jobs, handshakeTtl, orphanAge, staleAfter, clock, false);
    }

    /**
     * @param sharedWorkDir WORK_DIR is shared by every instance (JOB_QUEUE=redis): recovery leaves the directories to
     *                      the shared queue, which hands an interrupted job to a worker of any instance, and stops no
     *                      FFmpeg run (it may be another instance's)
     */
    public WorkDirSweep(Path workDir, JobStore jobs, Duration handshakeTtl, Duration orphanAge, Duration staleAfter,
                        Clock clock, boolean sharedWorkDir) {
        this.sharedWorkDir = sharedWorkDir;
        this.workDir = workDir;
        this.jobs = jobs;
        this.handshakeTtl = handshakeTtl;
        this.orphanAge = orphanAge;
        this.staleAfter = staleAfter;
        this.clock = clock;
        // built before the HTTP routes start: what is younger than this is an upload of this run
        this.startedAt = clock.instant();
    }

    /** The jobs to queue again after a start; the files of every other job directory are deleted. */
    public List<Job> recover() throws IOException {
        if (sharedWorkDir) {
            recovered = true;
            return List.of();
        }
        stopOrphanedFfmpegRuns();
        List<Job> requeue = new ArrayList<>();
        for (Path directory : jobDirectories()) {
            Optional<Job> marked = JobDirectory.read(directory);
            if (marked.isEmpty()) {
                // an upload cut off by the stop (nobody was told it was accepted); not one arriving right now
                if (olderThan(directory, startedAt)) {
                    JobDirectory.delete(directory);
                }
                continue;
            }
            if (acceptedSinceStart(marked.get())) {
                // taken in by this run, in the moment before recovery: it is on the queue already
                continue;
            }
            withMediaId(marked.get(), job -> recover(directory, job).ifPresent(requeue::add));
        }
        recovered = true;
        if (!requeue.isEmpty()) {
            LOG.info("Recovered {} job(s) left queued or processing: queued again", requeue.size());
        }
        return requeue;
    }

    private boolean acceptedSinceStart(Job marked) {
        return marked.createdAt() != null && !marked.createdAt().isBefore(startedAt);
    }

    private Optional<Job> recover(Path directory, Job marked) {
        Optional<Job> recorded = jobs.find(marked.mediaId());
        Job queued = marked.inState(JobState.QUEUED);
        if (recorded.isEmpty()) {
            // the store forgot it (an in-memory store after a restart, an expired Redis record): claim the media id
            // again, unless a newer job has it or the upload is gone (a handshake job keeps only its compressed file)
            if (Files.exists(Path.of(marked.stagedFile())) && jobs.claim(queued).isEmpty()) {
                LOG.info("Job queued again after a restart");
                return Optional.of(queued);
            }
        } else if (recorded.get().jobId().equals(marked.jobId())) {
            Job job = recorded.get();
            if (job.state().isActive() && Files.exists(Path.of(marked.stagedFile()))) {
                jobs.update(queued);
                LOG.info("Job queued again after a restart (it was {})", job.status());
                return Optional.of(queued);
            }
            if (job.state().isActive()) {
                jobs.updateIf(job.state(), job.failed("interrupted"));
                LOG.warn("Job interrupted and its upload is gone: failed");
            } else if (job.state() == JobState.AWAITING_CONFIRMATION) {
                return Optional.empty(); // its compressed file waits for /video/confirm
            }
        }
        JobDirectory.delete(directory);
        return Optional.empty();
    }

    public void sweep() throws IOException {
        if (!recovered) {
            return; // recovery decides first what the directories found at start-up are
        }
        Instant now = clock.instant();
        for (Path directory : jobDirectories()) {
            Optional<Job> marked = JobDirectory.read(directory);
            if (marked.isPresent()) {
                withMediaId(marked.get(), job -> sweep(directory, job, now));
            } else if (olderThan(directory, now.minus(orphanAge))) {
                LOG.warn("Removed an orphaned work directory (no job, older than {})", text(orphanAge));
                JobDirectory.delete(directory);
            }
        }
        List<Job> staleJobs;
        try {
            staleJobs = jobs.staleJobs(now.minus(staleAfter));
        } catch (JobStoreUnavailable e) {
            LOG.warn("Job store unreachable: jobs of vanished instances are looked for again at the next sweep");
            return;
        }
        for (Job stale : staleJobs) {
            withMediaId(stale, job -> {
                if (jobs.updateIf(job.state(), job.failed("interrupted"))) {
                    LOG.warn("Job was {} with no instance looking after it for {}: failed as interrupted", job.status(),
                            text(staleAfter));
                }
            });
        }
    }

    private void sweep(Path directory, Job marked, Instant now) {
        Optional<Job> recorded = jobs.find(marked.mediaId()).filter(job -> job.jobId().equals(marked.jobId()));
        if (recorded.isEmpty()) {
            LOG.info("Job superseded or forgotten: its files are deleted");
            JobDirectory.delete(directory);
            return;
        }
        Job job = recorded.get();
        if (job.state().isActive()) {
            jobs.heartbeat(job);
        } else if (job.state() == JobState.AWAITING_CONFIRMATION) {
            if (job.updatedAt().plus(handshakeTtl).isBefore(now)
                    && jobs.updateIf(JobState.AWAITING_CONFIRMATION, job.inState(JobState.EXPIRED))) {
                LOG.warn("Handshake expired: not confirmed within {}", text(handshakeTtl));
                JobDirectory.delete(directory);
            }
        } else {
            LOG.info("Job is {}: its files are deleted", job.state().wire());
            JobDirectory.delete(directory);
        }
    }

    // After a crash (SIGKILL) FFmpeg runs on without its JVM, writing into WORK_DIR: stop them before re-queueing.
    // At start-up this JVM has started none, so every run on this WORK_DIR is an orphan.
    private void stopOrphanedFfmpegRuns() {
        String marker = workDir.toString() + "/";
        ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("ffmpeg") || c.endsWith("ffprobe")).orElse(false))
                .filter(p -> p.info().arguments().map(args -> List.of(args).stream().anyMatch(a -> a.startsWith(marker)))
                        .orElse(false))
                .forEach(p -> {
                    LOG.warn("Stopping an FFmpeg run orphaned by a crash (pid {})", p.pid());
                    p.destroyForcibly();
                });
    }

    private List<Path> jobDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(workDir)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }

    private static boolean olderThan(Path directory, Instant cutoff) {
        try {
            return Files.getLastModifiedTime(directory).toInstant().isBefore(cutoff);
        } catch (IOException e) {
            return false;
        }
    }

    private static void withMediaId(Job job, Consumer<Job> action) {
        // the catches inside the scope: their lines name the job too
        try (JobLogContext ignored = JobLogContext.of(job)) {
            try {
                action.accept(job);
            } catch (JobStoreUnavailable e) {
                LOG.warn("Job store unreachable: the job's files are checked again later");
            } catch (RuntimeException e) {
                LOG.error("Could not check the job's files", e);
            }
        }
    }

    private static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
