package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.SftpStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key login with the key files OpenSSH's ssh-keygen writes today (OpenSSH format), with no password set at all;
 * also a base directory that does not exist yet, written with a trailing slash.
 */
class SftpKeyLoginTest {

    @TempDir
    Path root;

    @ParameterizedTest(name = "{0} key, passphrase \"{1}\"")
    @CsvSource(value = {"ed25519,''", "rsa,''", "ed25519,'pass phrase&=)+'"}, quoteCharacter = '\'')
    void uploads_with_an_openssh_format_key(String type, String passphrase) throws Exception {
        Path key = sshKeygen(type, passphrase, root.resolve("id_" + type));
        assertThat(Files.readAllLines(key).get(0)).isEqualTo("-----BEGIN OPENSSH PRIVATE KEY-----");

        try (SftpStandIn sftp = new SftpStandIn(root.resolve("sftp-root"))) {
            sftp.authorize(Path.of(key + ".pub"));
            Properties p = new Properties();
            p.setProperty("sftp.host", "127.0.0.1");
            p.setProperty("sftp.port", Integer.toString(sftp.port()));
            p.setProperty("sftp.user", SftpStandIn.USER);
            p.setProperty("sftp.private-key-file", key.toString());
            p.setProperty("sftp.private-key-passphrase", passphrase);
            p.setProperty("sftp.known-hosts-file", sftp.writeKnownHosts(root.resolve("known_hosts")).toString());
            p.setProperty("sftp.base-dir", "/srv/media/");
            p.setProperty("retry.max-attempts", "1");
            try (RunningService service = new RunningService(root, p)) {
                assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "photo.jpg", "media_id", "key-" + type)
                        .statusCode()).isEqualTo(200);

                JsonNode status = AwaitJob.finished(service, "key-" + type);
                assertThat(status.path("status").asText()).isEqualTo("completed");
                String filePath = status.path("filePath").asText();
                assertThat(filePath).matches("/srv/media/images/[0-9a-f-]{36}\\.jpg");
                assertThat(sftp.files()).isEqualTo(List.of(filePath));
                assertThat(service.filesLeftInWorkDir()).isEmpty();
            }
        }
    }

    /** `ssh-keygen -t TYPE -N PASSPHRASE -f FILE`: the private key in FILE, the public one in FILE.pub. */
    private static Path sshKeygen(String type, String passphrase, Path file) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "test", "-f", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return file;
    }
}
