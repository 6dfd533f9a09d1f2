package io.mediacompression.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** What a service left under its WORK_DIR. */
public final class WorkDir {

    private static final Duration CLEAN_UP = Duration.ofSeconds(10);

    private WorkDir() {
    }

    /**
     * The files (not directories) left under {@code workDir} once the jobs' clean-up has run. A job's files are
     * deleted when its exchange ends, just after its last status is written, so this waits up to 10 s for none to be
     * left and returns what is still there then.
     */
    public static List<Path> filesLeft(Path workDir) throws InterruptedException {
        try {
            return Awaitility.await().atMost(CLEAN_UP).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> files(workDir), List::isEmpty);
        } catch (ConditionTimeoutException stillThere) {
            return files(workDir);
        }
    }


    /** Everything under {@code workDir}, directories included, as it is now. */
    public static List<Path> entries(Path workDir) {
        while (true) {
            try (Stream<Path> s = Files.walk(workDir)) {
                return s.filter(p -> !p.equals(workDir)).toList();
            } catch (IOException | UncheckedIOException e) {
                if (!Files.isDirectory(workDir)) {
                    throw new AssertionError("no WORK_DIR at " + workDir, e);
                }
                // a directory deleted by a clean-up while it was being walked: walk again
            }
        }
    }

    private static List<Path> files(Path workDir) {
        return entries(workDir).stream().filter(Files::isRegularFile).toList();
    }
}
