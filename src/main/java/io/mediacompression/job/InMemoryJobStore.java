package io.mediacompression.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded default: one instance only, state lost on restart. Finished jobs are forgotten after the retention. */
public final class InMemoryJobStore implements JobStore {

    private record Entry(Job job, Instant expiresAt, Instant heartbeat) {
        boolean expired(Instant now) {
            return expiresAt != null && now.isAfter(expiresAt);
        }
    }

    private final Map<String, Entry> jobs = new ConcurrentHashMap<>();
    private final Duration retention;
    private final Clock clock;

    public InMemoryJobStore(Duration retention, Clock clock) {
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public Optional<Job> claim(Job job) {
        Job[] holder = new Job[1];
        jobs.compute(job.mediaId(), (id, current) -> {
            if (current != null && !current.expired(clock.instant()) && current.job().state().isActive()) {
                holder[0] = current.job();
                return current;
            }
            return entry(job);
        });
        return Optional.ofNullable(holder[0]);
    }

    @Override
    public Optional<Job> find(String mediaId) {
        Entry entry = jobs.get(mediaId);
        if (entry == null || entry.expired(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(entry.job());
    }

    @Override
    public boolean update(Job job) {
        boolean[] replaced = new boolean[1];
        jobs.computeIfPresent(job.mediaId(), (id, current) -> {
            if (!current.job().jobId().equals(job.jobId())) {
                return current;
            }
            replaced[0] = true;
            return entry(job);
        });
        return replaced[0];
    }

    @Override
    public boolean updateIf(JobState expected, Job job) {
        boolean[] replaced = new boolean[1];
        jobs.computeIfPresent(job.mediaId(), (id, current) -> {
            if (!current.job().jobId().equals(job.jobId()) || current.job().state() != expected) {
                return current;
            }
            replaced[0] = true;
            return entry(job);
        });
        return replaced[0];
    }

    @Override
    public void release(Job job) {
        jobs.computeIfPresent(job.mediaId(), (id, current) -> current.job().jobId().equals(job.jobId()) ? null : current);
    }

    @Override
    public void heartbeat(Job job) {
        jobs.computeIfPresent(job.mediaId(), (id, current) -> current.job().jobId().equals(job.jobId())
                ? new Entry(current.job(), current.expiresAt(), clock.instant()) : current);
    }

    @Override
    public List<Job> staleJobs(Instant before) {
        return jobs.values().stream()
                .filter(e -> e.job().state().isActive() && e.heartbeat().isBefore(before))
                .map(Entry::job)
                .toList();
    }

    /** Drops the records whose retention has passed. */
    @Override
    public void maintain() {
        Instant now = clock.instant();
        jobs.values().removeIf(e -> e.expired(now));
    }

    private Entry entry(Job job) {
        Instant now = clock.instant();
        return new Entry(job, job.state().isFinished() ? now.plus(retention) : null, now);
    }
}
