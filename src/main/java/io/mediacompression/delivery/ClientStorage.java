package io.mediacompression.delivery;

import com.jcraft.jsch.JSchHostKeyException;
import io.mediacompression.job.CurrentJob;
import io.mediacompression.job.Job;
import io.mediacompression.job.JobStore;
import java.io.File;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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

    /** The job's compressed file as the body (streamed from disk), its remote path as the file name to write. */
    public void prepare(Exchange exchange) {
        Job job = CurrentJob.of(exchange);
        Message message = exchange.getMessage();
        message.setBody(new File(job.outputFile()));
        message.setHeader(Exchange.FILE_NAME, remotePath(job));
    }

    /** The file is on the client's server under its final name. */
    public void uploaded(Exchange exchange) {
        Job job = CurrentJob.of(exchange);
        CurrentJob.advance(exchange, jobs, job.deliveredTo(remotePath(job)));
        LOG.info("Uploaded to client storage: {}", remotePath(job));
    }

    /** The HLS package is on the client's server under its final folder name. */
    public void packageUploaded(Exchange exchange) {
        Job job = CurrentJob.of(exchange);
        String folder = settings.remotePath(job.format().kind().folder(),
                Path.of(job.packageDir()).getFileName().toString());
        CurrentJob.advance(exchange, jobs, job.packageDeliveredTo(folder));
    }

    /** Whether another attempt may help: a host key that does not match stays untrusted however long we wait. */
    public boolean worthRetrying(Exchange exchange) {
        return !hostKeyRejected(failure(exchange));
    }

    /** Ends the job as `failed: <reason>` once the upload is given up; the details (server, cause) go to the log. */
    public void uploadFailed(Exchange exchange) {
        Throwable cause = failure(exchange);
        Job failed = CurrentJob.advance(exchange, jobs, CurrentJob.of(exchange).failed(reason(cause)));
        LOG.warn("Job failed: {} ({})", failed.reason(), describe(cause));
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

    private static Throwable failure(Exchange exchange) {
        Throwable caught = exchange.getException();
        return caught != null ? caught : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
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
