package io.mediacompression.job;

/**
 * This worker's job was taken over by another instance's worker (it missed its heartbeats for JOBS_STALE_AFTER):
 * it stops here without recording anything, delivering anything or deleting the files the other worker uses.
 */
public final class JobTakenOver extends RuntimeException {

    /** Set on the exchange of a job that was taken over. */
    public static final String PROPERTY = "mcs.takenOver";

    public JobTakenOver(String instance) {
        super("The job was taken over by instance " + instance);
    }
}
