package io.mediacompression.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A job's own directory under WORK_DIR, named by its jobId. A handshake job that keeps its compressed file after its
 * exchange ended also keeps a small marker, {@value #MARKER} (media id and job id, never the client's filename), so
 * that the instance holding the files can tell from the job store when they may go.
 */
public final class JobDirectory {

    public static final String MARKER = "job.json";

    /** What the marker says: whose files these are. */
    public record Marker(String mediaId, String jobId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
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
            JSON.writeValue(partial.toFile(), new Marker(job.mediaId(), job.jobId()));
            Files.move(partial, directory.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The marker of a directory; empty when it has none (an upload in progress, a job still running). */
    public static Optional<Marker> read(Path directory) {
        Path marker = directory.resolve(MARKER);
        try {
            Marker read = JSON.readValue(marker.toFile(), Marker.class);
            return read.mediaId() != null && directory.getFileName().toString().equals(read.jobId())
                    ? Optional.of(read) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Deletes the directory, its marker last: a deletion cut short is found and finished by the next sweep. */
    public static void delete(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : files.filter(p -> !p.getFileName().toString().equals(MARKER)).toList()) {
                deleteTree(p);
            }
            Files.deleteIfExists(directory.resolve(MARKER));
            Files.deleteIfExists(directory);
        } catch (NoSuchFileException e) {
            // already gone: deleted by a confirmation, the worker or another sweep
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(path)) {
                for (Path child : children.toList()) {
                    deleteTree(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }
}
