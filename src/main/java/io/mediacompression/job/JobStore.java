package io.mediacompression.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where job state lives. Every instance behind the load balancer sees the same store, so the 409 rule and
 * `GET /status` hold across instances.
 */
public interface JobStore {

    /**
     * Records a new queued job unless its media id is held by an active job, atomically.
     *
     * @return empty when the job was recorded, otherwise the active job that holds the media id
     */
    Optional<Job> claim(Job job);

    Optional<Job> find(String mediaId);

    /**
     * Replaces the record of the same job; a record that now belongs to another job (same media id, newer
     * upload) is left alone.
     *
     * @return whether the record was replaced
     */
    boolean update(Job job);

    /**
     * Like {@link #update(Job)}, but only while the record is still in {@code expected}: for the state changes that
     * may race each other across instances (a confirmation, an expiry, a late failure of the store callback).
     *
     * @return whether the record was replaced
     */
    boolean updateIf(JobState expected, Job job);

    /** Removes the record if it still belongs to this job (an upload that was refused after its claim). */
    void release(Job job);

    /**
     * The instance holding an active (queued or processing) job says it is still alive; a job nobody vouches for
     * turns up in {@link #staleJobs(Instant)}. Claims and updates count as heartbeats too.
     */
    void heartbeat(Job job);

    /** Active jobs whose last heartbeat is older than {@code before}: their instance is gone. */
    List<Job> staleJobs(Instant before);

    /** Periodic upkeep, run by the `sweep-work-dir` route: drop expired records, retry writes that failed. */
    default void maintain() {
    }
}
