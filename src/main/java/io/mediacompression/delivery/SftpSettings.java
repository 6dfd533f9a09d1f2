package io.mediacompression.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The client's SFTP storage as configured. The password itself is not part of it (only whether one is set), so the
 * record is safe to log; the route reads the secrets straight from their placeholders.
 *
 * @param host empty when no SFTP storage is configured: results then stay in OUTPUT_DIR
 * @param verifyHostKey whether the server's host key must be in {@code knownHostsFile} (StrictHostKeyChecking=yes)
 * @param baseDir remote directory the `videos` and `images` folders are created in
 */
public record SftpSettings(
        String host,
        int port,
        String user,
        boolean passwordSet,
        Optional<Path> privateKeyFile,
        Optional<Path> knownHostsFile,
        boolean verifyHostKey,
        String baseDir) {

    /** Refuses, at start, settings that could only fail at the first upload; the message names what to set. */
    public SftpSettings {
        if (!host.isEmpty()) {
            if (port < 1 || port > 65535) {
                throw new IllegalStateException("SFTP_PORT must be a port number, 1 to 65535");
            }
            if (user.isEmpty()) {
                throw new IllegalStateException("SFTP_HOST is set but SFTP_USER is not");
            }
            if (!passwordSet && privateKeyFile.isEmpty()) {
                throw new IllegalStateException("SFTP_HOST is set but neither SFTP_PASSWORD nor SFTP_PRIVATE_KEY_FILE is");
            }
            privateKeyFile.ifPresent(key -> requireReadable(key, "SFTP_PRIVATE_KEY_FILE"));
            if (verifyHostKey) {
                knownHostsFile.ifPresentOrElse(file -> requireReadable(file, "SFTP_KNOWN_HOSTS_FILE"), () -> {
                    throw new IllegalStateException("SFTP_HOST is set but SFTP_KNOWN_HOSTS_FILE is not: write the server's "
                            + "host key there (ssh-keyscan -p PORT HOST > known_hosts), or turn host key verification "
                            + "off with SFTP_STRICT_HOST_KEY_CHECKING=no");
                });
            }
        }
    }

    public boolean enabled() {
        return !host.isEmpty();
    }

    /** The remote path of a result: {@code <baseDir>/<folder>/<fileName>}, the base directory without trailing slash. */
    public String remotePath(String folder, String fileName) {
        String base = baseDir.replaceAll("/+$", "");
        if (base.isEmpty()) {
            return baseDir.startsWith("/") ? "/" + folder + "/" + fileName : folder + "/" + fileName;
        }
        return base + "/" + folder + "/" + fileName;
    }

    private static void requireReadable(Path file, String variable) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalStateException(variable + " (" + file + ") is not a readable file");
        }
    }
}
