package io.mediacompression.delivery;

import com.jcraft.jsch.JSchHostKeyException;
import io.mediacompression.job.CurrentJob;
import io.mediacompression.job.Job;
import io.mediacompression.job.JobStore;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeException;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the `upload-to-sftp` route around Camel's `sftp` producer: what to upload and where, what the job
 * records once it is there, and how it ends when the upload keeps failing (`sftp-upload-retries`).
 */
public final class ClientStorage {

    static final String HOST_KEY_REASON = "client storage host key not trusted";
    static final String UPLOAD_REASON = "upload to client storage failed";

    private static final Logger LOG = LoggerFactory.getLogger(ClientStorage.class);

    private final SftpSettings settings;
    private final JobStore jobs;

    public ClientStorage(SftpSettings settings, JobStore jobs) {
        this.settings = settings;
        this.jobs = jobs;
    }

    /**
     * The job's compressed file as the body (streamed from disk), and its remote path as the file name the `sftp-upload`
     * step writes.
     */
    public File prepare(@ExchangeProperty(CurrentJob.PROPERTY) Job job, @Headers Map<String, Object> headers) {
        headers.put(Exchange.FILE_NAME, remotePath(job));
        return new File(job.outputFile());
    }

    /** The file is on the client's server under its final name: returns the job delivered there. */
    public Job uploaded(@ExchangeProperty(CurrentJob.PROPERTY) Job job) {
        Job delivered = CurrentJob.record(jobs, job.deliveredTo(remotePath(job)));
        LOG.info("Uploaded to client storage: {}", remotePath(job));
        return delivered;
    }

    /** The HLS package is on the client's server under its final folder name: returns the job delivered there. */
    public Job packageUploaded(@ExchangeProperty(CurrentJob.PROPERTY) Job job) {
        String folder = settings.remotePath(job.format().kind().folder(),
                Path.of(job.packageDir()).getFileName().toString());
        return CurrentJob.record(jobs, job.packageDeliveredTo(folder));
    }

    /**
     * Whether another attempt may help: a host key that does not match stays untrusted however long we wait. Asked by
     * the `onWhen` of `sftp-upload-failed`, while the failure is still the exchange's exception.
     */
    public boolean worthRetrying(@ExchangeException Exception failure) {
        return !hostKeyRejected(failure);
    }

    /**
     * Ends the job as `failed: <reason>` once the upload is given up; the details (server, cause) go to the log.
     * Returns the failed job, for the job property.
     */
    public Job uploadFailed(@ExchangeProperty(CurrentJob.PROPERTY) Job job,
                            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        Job failed = CurrentJob.record(jobs, job.failed(reason(cause)));
        LOG.warn("Job failed: {} ({})", failed.reason(), describe(cause));
        return failed;
    }

    String remotePath(Job job) {
        String fileName = Path.of(job.outputFile()).getFileName().toString();
        return settings.remotePath(job.format().kind().folder(), fileName);
    }

    /** A short reason, safe to show: no host, path or credential. */
    static String reason(Throwable cause) {
        return hostKeyRejected(cause) ? HOST_KEY_REASON : UPLOAD_REASON;
    }

    static boolean hostKeyRejected(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof JSchHostKeyException) {
                return true;
            }
        }
        return false;
    }

    // the messages of the whole chain, on one line: "Cannot connect to sftp://user@host:22: Auth fail"
    private static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null && (text.isEmpty() || !text.toString().contains(t.getMessage()))) {
                text.append(text.isEmpty() ? "" : ": ").append(t.getMessage());
            }
        }
        return text.toString();
    }
}
