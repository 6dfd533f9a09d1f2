package io.mediacompression.job;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the FFmpeg runs of this instance through their `-progress` files: publishes `progress` (0-100) in the job
 * store, and kills a run whose encoded time has not advanced for the stall timeout (the job then fails as stalled).
 * {@link #poll()} is called by the `watch-progress` timer route.
 */
public final class ProgressWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressWatch.class);

    private final class Watched {
        final Path progressFile;
        final double durationSeconds;
        Job job;
        long offset;
        long outTimeMicros = -1;
        Instant lastAdvance;
        boolean active = true;
        boolean stalled;

        Watched(Job job, Path progressFile, double durationSeconds) {
            this.job = job;
            this.progressFile = progressFile;
            this.durationSeconds = durationSeconds;
            this.lastAdvance = clock.instant();
        }
    }

    private final JobStore jobs;
    private final Duration stallTimeout;
    private final Clock clock;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();

    public ProgressWatch(JobStore jobs, Duration stallTimeout, Clock clock) {
        this.jobs = jobs;
        this.stallTimeout = stallTimeout;
        this.clock = clock;
    }

    /** Starts following a run that writes `-progress` to {@code progressFile}. */
    public void watch(Job job, Path progressFile, double durationSeconds) {
        watched.put(job.jobId(), new Watched(job, progressFile, durationSeconds));
    }

    /**
     * Stops following a job; no progress is written for it afterwards.
     *
     * @return whether the run was killed for stalling
     */
    public boolean unwatch(String jobId) {
        Watched w = watched.remove(jobId);
        if (w == null) {
            return false;
        }
        synchronized (w) {
            w.active = false;
            return w.stalled;
        }
    }

    /** Reads what every run has written since the last poll. */
    public void poll() {
        for (Watched w : watched.values()) {
            synchronized (w) {
                if (w.active && !w.stalled) {
                    poll(w);
                }
            }
        }
    }

    private void poll(Watched w) {
        long before = w.outTimeMicros;
        readNewLines(w);
        Instant now = clock.instant();
        if (w.outTimeMicros > before) {
            w.lastAdvance = now;
            publish(w);
        } else if (Duration.between(w.lastAdvance, now).compareTo(stallTimeout) > 0) {
            w.stalled = true;
            try (JobLogContext ignored = JobLogContext.of(w.job)) {
                LOG.warn("FFmpeg made no progress for {} s: stopping it", stallTimeout.toSeconds());
            }
            kill(w.progressFile);
        }
    }

    private void readNewLines(Watched w) {
        if (!Files.exists(w.progressFile)) {
            return;
        }
        try (RandomAccessFile file = new RandomAccessFile(w.progressFile.toFile(), "r")) {
            long length = file.length();
            if (length <= w.offset) {
                return;
            }
            file.seek(w.offset);
            byte[] bytes = new byte[(int) Math.min(length - w.offset, 1 << 20)];
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.US_ASCII);
            int lastNewline = text.lastIndexOf('\n');
            if (lastNewline < 0) {
                return;
            }
            w.offset += lastNewline + 1;
            for (String line : text.substring(0, lastNewline).split("\n")) {
                if (line.startsWith("out_time_us=")) {
                    parseMicros(line.substring("out_time_us=".length())).ifPresent(us -> w.outTimeMicros = Math.max(w.outTimeMicros, us));
                }
            }
        } catch (IOException e) {
            LOG.debug("Progress file not readable yet", e);
        }
    }

    private void publish(Watched w) {
        if (w.durationSeconds <= 0) {
            return;
        }
        int percent = (int) Math.min(99, Math.max(0, w.outTimeMicros / (w.durationSeconds * 10_000)));
        if (w.job.progress() != null && w.job.progress() == percent) {
            return;
        }
        Job next = w.job.withProgress(percent);
        try {
            jobs.update(next);
            w.job = next;
        } catch (RuntimeException e) {
            LOG.debug("Progress not published: job store unavailable", e);
        }
    }

    // The FFmpeg child of this JVM that writes this progress file: camel-exec gives no handle on its process.
    private static void kill(Path progressFile) {
        String marker = progressFile.toString();
        ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(args -> Arrays.asList(args).contains(marker)).orElse(false))
                .forEach(p -> {
                    p.destroy();
                    p.onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
                    if (p.isAlive()) {
                        p.destroyForcibly();
                    }
                });
    }

    private static Optional<Long> parseMicros(String value) {
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
