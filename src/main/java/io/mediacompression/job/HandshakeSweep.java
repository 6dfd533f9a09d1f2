package io.mediacompression.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The handshake jobs whose compressed files this instance keeps, looked up in the job store on a timer (the
 * `expire-handshakes` route). Their files go when the store says the job is over: confirmed (possibly on another
 * instance), failed, superseded by a newer upload of the same id, or forgotten. A job still awaiting confirmation
 * after the TTL is expired first. Each instance sweeps only its own WORK_DIR, so the owner of the files deletes them.
 */
public final class HandshakeSweep {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeSweep.class);

    private final Path workDir;
    private final JobStore jobs;
    private final Duration ttl;
    private final Clock clock;

    public HandshakeSweep(Path workDir, JobStore jobs, Duration ttl, Clock clock) {
        this.workDir = workDir;
        this.jobs = jobs;
        this.ttl = ttl;
        this.clock = clock;
    }

    public void sweep() throws IOException {
        List<Path> directories;
        try (Stream<Path> entries = Files.list(workDir)) {
            directories = entries.filter(Files::isDirectory).toList();
        }
        for (Path directory : directories) {
            JobDirectory.read(directory).ifPresent(marker -> {
                MDC.put("mediaId", marker.mediaId());
                try {
                    sweep(directory, marker);
                } catch (RuntimeException e) {
                    LOG.error("Could not clean up the handshake job's files", e);
                } finally {
                    MDC.remove("mediaId");
                }
            });
        }
    }

    private void sweep(Path directory, JobDirectory.Marker marker) {
        Optional<Job> recorded = jobs.find(marker.mediaId()).filter(job -> job.jobId().equals(marker.jobId()));
        if (recorded.isEmpty()) {
            LOG.info("Handshake job superseded or forgotten: its files are deleted");
            JobDirectory.delete(directory);
            return;
        }
        Job job = recorded.get();
        if (job.state() == JobState.AWAITING_CONFIRMATION) {
            if (job.updatedAt().plus(ttl).isBefore(clock.instant()) && jobs.updateIf(JobState.AWAITING_CONFIRMATION,
                    job.inState(JobState.EXPIRED))) {
                LOG.warn("Handshake expired: not confirmed within {}", ttl.toString().substring(2).toLowerCase(Locale.ROOT));
                JobDirectory.delete(directory);
            }
        } else if (job.state().isFinished()) {
            LOG.info("Handshake job is {}: its files are deleted", job.state().wire());
            JobDirectory.delete(directory);
        }
    }
}
