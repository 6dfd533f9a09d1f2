package io.mediacompression.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * How a {@link ServiceProcess} JVM is started quickly: the service's classes as a jar (as production runs them) beside
 * its dependencies, and a class-data archive of that class path (JDK AppCDS) that halves a start's CPU. The first
 * child JVM of a build writes the archive when it stops gracefully; the JVMs started after it map it. A missing or
 * outdated archive only costs the speed: the JVM then loads its classes as usual. Everything lives under
 * target/service-cds, named by content, so that the two test JVMs of a run share it (and one of them writes it).
 */
final class ServiceClassPath {

    private static final Path DIR = Path.of("target", "service-cds").toAbsolutePath();
    private static final String CLASS_PATH = build();
    private static final Path ARCHIVE = DIR.resolve(sha256(CLASS_PATH).substring(0, 16) + ".jsa");
    private static final Path CLAIM = DIR.resolve(ARCHIVE.getFileName() + ".claimed");
    private static boolean archiving;

    private ServiceClassPath() {
    }

    /** The service's class path: no test classes, the main classes jarred (the JVM archives classes from jars only). */
    static String classPath() {
        return CLASS_PATH;
    }

    /**
     * The archive options for one more child JVM: map the archive, or (for the one JVM at a time that makes it) write
     * it when the JVM exits. JVM messages about the archive are off: stdout is the service's.
     */
    static synchronized Archive archive() {
        List<String> options = new ArrayList<>(List.of("-Xshare:auto", "-Xlog:cds*=off"));
        if (Files.exists(ARCHIVE)) {
            options.add("-XX:SharedArchiveFile=" + ARCHIVE);
            return new Archive(options, null);
        }
        if (archiving || !claimArchiving()) {
            return new Archive(options, null);
        }
        archiving = true;
        Path pending = DIR.resolve(ARCHIVE.getFileName() + "." + UUID.randomUUID() + ".partial");
        options.add("-XX:ArchiveClassesAtExit=" + pending);
        return new Archive(options, pending);
    }

    /** A child JVM's archive options, and where it writes the archive when it exits (null when it does not). */
    record Archive(List<String> options, Path pending) {

        boolean writes() {
            return pending != null;
        }

        /** After the JVM exited: its archive (if it lived to write it) becomes the build's, or another JVM may try. */
        void exited() {
            if (pending == null) {
                return;
            }
            synchronized (ServiceClassPath.class) {
                archiving = false;
                try {
                    if (Files.exists(pending) && Files.size(pending) > 0) {
                        Files.move(pending, ARCHIVE, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.deleteIfExists(pending);
                    Files.deleteIfExists(CLAIM);
                } catch (IOException notWritten) {
                    // the next child JVM makes one
                }
            }
        }
    }

    /**
     * Whether this test JVM may make the archive: writing it costs a child JVM about 10 s at its exit, so one test JVM
     * of the run does it. A claim older than two minutes is of a test JVM that stopped before it was done.
     */
    private static boolean claimArchiving() {
        try {
            Files.createDirectories(DIR);
            if (Files.exists(CLAIM)
                    && Files.getLastModifiedTime(CLAIM).toInstant().isBefore(Instant.now().minus(Duration.ofMinutes(2)))) {
                Files.deleteIfExists(CLAIM);
            }
            Files.createFile(CLAIM);
            return true;
        } catch (FileAlreadyExistsException claimed) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String build() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (path.endsWith(Path.of("target", "test-classes"))) {
                continue;
            }
            entries.add(Files.isDirectory(path) ? jar(path).toString() : entry);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** The directory's files as a jar named by their content, made once per build (the archive checks its size and time). */
    private static Path jar(Path classes) {
        try (Stream<Path> walk = Files.walk(classes)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(classes.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
            Path jar = DIR.resolve("classes-" + HexFormat.of().formatHex(digest.digest()).substring(0, 16) + ".jar");
            if (!Files.exists(jar)) {
                Files.createDirectories(DIR);
                Path partial = DIR.resolve(jar.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
                try (OutputStream out = Files.newOutputStream(partial); JarOutputStream zip = new JarOutputStream(out)) {
                    for (Path file : files) {
                        zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                        Files.copy(file, zip);
                        zip.closeEntry();
                    }
                }
                // one time stamp for every copy: the other test JVM may replace this one with its own while a child maps it
                Files.setLastModifiedTime(partial, FileTime.fromMillis(0));
                Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
