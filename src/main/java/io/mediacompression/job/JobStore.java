package io.mediacompression.job;

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
}
