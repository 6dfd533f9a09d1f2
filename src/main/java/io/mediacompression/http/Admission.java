package io.mediacompression.http;

import io.mediacompression.job.JobQueue;
import io.mediacompression.job.ShutdownState;
import java.nio.file.Path;
import org.apache.camel.Header;

/**
 * Whether an upload may be taken in at all, decided before a byte of it is read: refused with 503 and `Retry-After`
 * when the instance is shutting down, the work queue has no room or WORK_DIR's free space would fall below its
 * threshold. Never a 500, never a hang: the client is told to come back.
 */
public final class Admission {

    private final Path workDir;
    private final long minFreeBytes;
    private final JobQueue queue;
    private final ShutdownState shutdown;
    private final long retryAfterSeconds;

    public Admission(Path workDir, long minFreeBytes, JobQueue queue, ShutdownState shutdown, long retryAfterSeconds) {
        this.workDir = workDir;
        this.minFreeBytes = minFreeBytes;
        this.queue = queue;
        this.shutdown = shutdown;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The first step of every intake route: no new job once the instance is stopping. */
    public void refuseWhileStopping() {
        if (shutdown.isStopping()) {
            throw ApiException.busy("The service is shutting down; try again", retryAfterSeconds);
        }
    }

    public void check(@Header("Content-Length") Long declaredLength) {
        if (queue.full()) {
            throw ApiException.busy("The work queue is full; try again later", retryAfterSeconds);
        }
        long incoming = declaredLength == null || declaredLength < 0 ? 0 : declaredLength;
        if (usableSpace() - incoming < minFreeBytes) {
            throw ApiException.busy("Not enough disk space to take this upload now; try again later", retryAfterSeconds);
        }
    }

    // File's own call, not Files.getFileStore: that one fails where the mount table lacks the disk (chroots); 0 when
    // the directory is missing, so a work disk that cannot be read takes nothing
    private long usableSpace() {
        return workDir.toFile().getUsableSpace();
    }
}
