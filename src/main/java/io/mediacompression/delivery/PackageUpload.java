package io.mediacompression.delivery;

import io.mediacompression.job.CurrentJob;
import io.mediacompression.job.Job;
import io.mediacompression.media.HlsPackage;
import java.io.File;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.RemoteFileOperations;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.apache.camel.processor.SendProcessor;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The `sftp-upload-package` step: an HLS package folder to the client's SFTP server, every file written under the
 * temporary folder {@code <uuid>.part/} over one SSH connection, then the folder renamed to {@code <uuid>/}, so the
 * final name only ever shows a complete package. It connects with the endpoint of the `sftp-upload` step (the same
 * server, credentials, host key check and timeouts as a single file); a failed attempt throws, and
 * `sftp-upload-retries` runs the whole step again.
 */
public final class PackageUpload {

    private static final Logger LOG = LoggerFactory.getLogger(PackageUpload.class);

    private final SftpSettings settings;

    public PackageUpload(SftpSettings settings) {
        this.settings = settings;
    }

    public void upload(Exchange exchange) {
        Job job = CurrentJob.of(exchange);
        Path local = Path.of(job.packageDir());
        String folder = remoteFolder(job);
        String partial = folder + ".part";
        SftpEndpoint endpoint = endpoint(exchange);
        RemoteFileOperations<SftpRemoteFile> sftp = endpoint.createRemoteFileOperations();
        sftp.connect(endpoint.getConfiguration(), exchange);
        try {
            Set<String> directories = new HashSet<>();
            int files = 0;
            for (String name : HlsPackage.files(local)) {
                String target = partial + "/" + name;
                String directory = target.substring(0, target.lastIndexOf('/'));
                if (directories.add(directory)) {
                    sftp.buildDirectory(directory, directory.startsWith("/"));
                }
                Exchange file = new DefaultExchange(exchange.getContext());
                File source = local.resolve(name).toFile();
                file.getMessage().setBody(source);
                if (!sftp.storeFile(target, file, source.length())) {
                    throw new GenericFileOperationFailedException("Could not write " + target);
                }
                files++;
            }
            if (!sftp.renameFile(partial, folder)) {
                throw new GenericFileOperationFailedException("Could not rename " + partial + " to " + folder);
            }
            LOG.info("Uploaded the HLS package to client storage: {} ({} files)", folder, files);
        } finally {
            sftp.disconnect();
        }
    }

    /** {@code <SFTP_BASE_DIR>/videos/<uuid>}: the package folder keeps its UUID name. */
    String remoteFolder(Job job) {
        return settings.remotePath(job.format().kind().folder(), Path.of(job.packageDir()).getFileName().toString());
    }

    private static SftpEndpoint endpoint(Exchange exchange) {
        SendProcessor step = exchange.getContext().getProcessor("sftp-upload", SendProcessor.class);
        if (step == null || !(step.getDestination() instanceof SftpEndpoint endpoint)) {
            throw new IllegalStateException("The route upload-to-sftp has no step sftp-upload");
        }
        return endpoint;
    }
}
