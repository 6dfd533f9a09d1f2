package io.mediacompression.job;

import io.mediacompression.http.StagingArea;
import java.nio.file.Path;
import org.apache.camel.Body;

/** The steps of the transcode route that move a job through its states and clean up after it. */
public final class Worker {

    private final JobStore jobs;

    public Worker(JobStore jobs) {
        this.jobs = jobs;
    }

    public Job start(@Body Job job) {
        Job processing = job.processing();
        jobs.update(processing);
        return processing;
    }

    /** Deletes the job's work directory, whatever the outcome. */
    public void cleanUp(@Body Job job) {
        StagingArea.deleteRecursively(Path.of(job.stagedFile()).getParent());
    }
}
