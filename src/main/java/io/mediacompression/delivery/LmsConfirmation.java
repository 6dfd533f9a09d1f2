package io.mediacompression.delivery;

import io.mediacompression.job.CurrentJob;
import io.mediacompression.job.Job;
import io.mediacompression.job.JobState;
import io.mediacompression.job.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the `confirm-delivery` route: the confirmation the LMS receives, and how the job ends when the LMS
 * does not accept it (`confirmation-retries`): `db_update_failed`, keeping its `filePath` so the LMS can reconcile.
 */
public final class LmsConfirmation {

    private static final Logger LOG = LoggerFactory.getLogger(LmsConfirmation.class);

    private final JobStore jobs;

    public LmsConfirmation(JobStore jobs) {
        this.jobs = jobs;
    }

    public ConfirmationBody request(@ExchangeProperty(CurrentJob.PROPERTY) Job job) {
        return job.hlsPath() == null ? new ConfirmationBody(job.mediaId(), job.filePath())
                : new ConfirmationBody(job.mediaId(), job.filePath(), job.hlsPath(), job.posterPath(),
                        job.storyboardPath(), job.renditions());
    }

    /** The retries are used up: the job, as the route then sets it, is `db_update_failed`. */
    public Job notAccepted(@ExchangeProperty(CurrentJob.PROPERTY) Job job,
                           @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        Job failed = CurrentJob.record(jobs, job.inState(JobState.DB_UPDATE_FAILED));
        LOG.warn("The LMS did not accept the confirmation of {}: {}", failed.filePath(), describe(cause));
        return failed;
    }

    static String describe(Throwable cause) {
        if (cause instanceof HttpOperationFailedException http) {
            return "it answered " + http.getStatusCode();
        }
        return cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
