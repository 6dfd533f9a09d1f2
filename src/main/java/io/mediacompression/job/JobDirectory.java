package io.mediacompression.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A job's own directory under WORK_DIR, named by its jobId. From the moment its media id is claimed it holds a marker,
 * {@value #MARKER}: the job as it was queued (never the client's filename). With it the instance holding the files can
 * re-queue the job after a crash or restart, and tell from the job store when the files may go.
 */
public final class JobDirectory {

    public static final String MARKER = "job.json";

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private JobDirectory() {
    }

    /** The directory of a job under this instance's WORK_DIR; empty for a jobId that is not a UUID (never a path). */
    public static Optional<Path> of(Path workDir, String jobId) {
        return jobId != null && JOB_ID.matcher(jobId).matches() ? Optional.of(workDir.resolve(jobId)) : Optional.empty();
    }

    /** Writes the marker into the job's directory (the one its staged file is in). */
    public static void mark(Job job) {
        Path directory = Path.of(job.stagedFile()).getParent();
        try {
            Path partial = directory.resolve(MARKER + ".part");
            Files.writeString(partial, JobJson.write(job));
            Files.move(partial, directory.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job a directory's marker names; empty when it has none (an upload in progress) or it is not its own. */
    public static Optional<Job> read(Path directory) {
        try {
            Job job = JobJson.read(Files.readString(directory.resolve(MARKER)));
            return job.mediaId() != null && directory.getFileName().toString().equals(job.jobId())
                    && job.stagedFile() != null && Path.of(job.stagedFile()).getParent().equals(directory)
                    ? Optional.of(job) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Deletes the directory, its marker last: a deletion cut short is found and finished by the next sweep. */
    public static void delete(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : files.filter(p -> !p.getFileName().toString().equals(MARKER)).toList()) {
                deleteRecursively(p);
            }
            Files.deleteIfExists(directory.resolve(MARKER));
            Files.deleteIfExists(directory);
        } catch (NoSuchFileException e) {
            // already gone: deleted by a confirmation, the worker or another sweep
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes a directory and everything in it; a missing directory is fine. A file that appears while it is walked
     * (a refused upload's part writer still closing on its event loop) is found by walking again.
     */
    public static void deleteRecursively(Path directory) {
        for (int walk = 1; Files.exists(directory); walk++) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | UncheckedIOException e) {
                // a file that appeared or went while walked: walk again, a few times at the most
                if (walk >= 5) {
                    throw e instanceof UncheckedIOException unchecked ? unchecked : new UncheckedIOException((IOException) e);
                }
            }
        }
    }
}
