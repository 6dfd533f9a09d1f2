package io.mediacompression.upload;

import io.mediacompression.job.Job;
import io.mediacompression.job.JobDirectory;
import io.mediacompression.job.JobStoreUnavailable;
import io.mediacompression.job.JobStore;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * A job's own directory under WORK_DIR while its upload is being taken in. Unless the job is handed to the work
 * queue, the directory is deleted and the job's claim released when the HTTP exchange ends, whatever ended it.
 */
public final class StagingArea extends SynchronizationAdapter {

    public static final String PROPERTY = "mcs.staging";

    private final Path directory;
    private volatile Job claimed;
    private volatile JobStore store;
    private volatile boolean handedOver;

    private StagingArea(Path directory) {
        this.directory = directory;
    }

    static StagingArea open(Exchange exchange, Path directory) {
        StagingArea area = new StagingArea(directory);
        exchange.getExchangeExtension().addOnCompletion(area);
        exchange.setProperty(PROPERTY, area);
        return area;
    }

    public static StagingArea of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, StagingArea.class);
    }

    public Path directory() {
        return directory;
    }

    /** The job now holds its media id in the store: release it too if the upload is refused later. */
    public void claimed(Job job, JobStore jobStore) {
        this.claimed = job;
        this.store = jobStore;
        // from here the job can be recovered from its directory alone (crash, restart)
        JobDirectory.mark(job);
    }

    /** The work queue has the job: from here on the worker owns the directory. */
    public void handOver() {
        this.handedOver = true;
    }

    /**
     * Stays with the HTTP exchange. The seda queue's copy of it would otherwise take this over, and a worker that
     * ended the job (a PNG bomb fails in a millisecond) before intake marked it handed over released the claim of an
     * accepted upload: its status read {@code not_found}.
     */
    @Override
    public boolean allowHandover() {
        return false;
    }

    @Override
    public void onDone(Exchange exchange) {
        discard();
    }

    /** Removes the upload and releases the claim now, before the refusal is answered; safe to call twice. */
    public synchronized void discard() {
        if (handedOver) {
            return;
        }
        Job job = claimed;
        claimed = null;
        if (job != null) {
            try {
                store.release(job);
            } catch (JobStoreUnavailable e) {
                // the claim stays until the sweep fails it as interrupted: nobody vouches for it
            }
        }
        JobDirectory.deleteRecursively(directory);
    }

    /** Discards the exchange's staging area, if it has one. */
    public static void discard(Exchange exchange) {
        StagingArea area = of(exchange);
        if (area != null) {
            area.discard();
        }
    }

}
