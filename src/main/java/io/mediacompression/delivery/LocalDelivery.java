package io.mediacompression.delivery;

import io.mediacompression.job.CurrentJob;
import io.mediacompression.job.Job;
import io.mediacompression.job.JobDirectory;
import io.mediacompression.job.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.apache.camel.ExchangeProperty;

/**
 * The embedded default when no SFTP host is set: results go to `OUTPUT_DIR/videos/<uuid>.mp4` or
 * `OUTPUT_DIR/images/<uuid>.<ext>`, an HLS package to the folder `OUTPUT_DIR/videos/<uuid>/`, and appear there only
 * when complete.
 */
public final class LocalDelivery {

    private final Path outputDir;
    private final JobStore jobs;

    public LocalDelivery(Path outputDir, JobStore jobs) {
        this.outputDir = outputDir;
        this.jobs = jobs;
    }

    /** The compressed file goes to its kind's folder; returns the job delivered there, for the job property. */
    public Job deliver(@ExchangeProperty(CurrentJob.PROPERTY) Job job) {
        Path target = moveIntoOutputDir(job, Path.of(job.outputFile()));
        return CurrentJob.record(jobs, job.deliveredTo(target.toString()));
    }

    /** The HLS package folder goes to `OUTPUT_DIR/videos/<uuid>/`, the same way as a single file. */
    public Job deliverPackage(@ExchangeProperty(CurrentJob.PROPERTY) Job job) {
        Path target = moveIntoOutputDir(job, Path.of(job.packageDir()));
        return CurrentJob.record(jobs, job.packageDeliveredTo(target.toString()));
    }

    /**
     * Moves a file or a folder into its kind's folder under OUTPUT_DIR, so that it shows under its final name only
     * when complete: a rename on one filesystem; across filesystems, a copy under `<name>.part` then a rename.
     */
    private Path moveIntoOutputDir(Job job, Path source) {
        Path folder = outputDir.resolve(job.format().kind().folder());
        Path target = folder.resolve(source.getFileName());
        try {
            Files.createDirectories(folder);
            try {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Path partial = folder.resolve(source.getFileName() + ".part");
                JobDirectory.deleteRecursively(partial);
                copyTree(source, partial);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                JobDirectory.deleteRecursively(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    // a single file is a tree of one: walk yields the file itself, relativized to the empty path
    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : paths.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
