package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.SftpStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A password made of the characters that mean something to Camel's URIs and placeholders still logs in. */
class SftpSecretCharactersTest {

    private static final String PASSWORD = " )&{{% pass word}} RAW(x) ${env:HOME} %20+ ";

    @TempDir
    Path root;

    @Test
    void delivers_over_sftp_with_a_password_made_of_parentheses_ampersands_braces_percents_and_spaces() throws Exception {
        try (SftpStandIn sftp = new SftpStandIn(root.resolve("sftp-root"), PASSWORD)) {
            Properties p = new Properties();
            p.setProperty("jobs.workers", "1");
            p.setProperty("sftp.host", "127.0.0.1");
            p.setProperty("sftp.port", Integer.toString(sftp.port()));
            p.setProperty("sftp.user", SftpStandIn.USER);
            p.setProperty("sftp.password", PASSWORD);
            p.setProperty("sftp.known-hosts-file", sftp.writeKnownHosts(root.resolve("known_hosts")).toString());
            p.setProperty("retry.max-attempts", "1");
            try (RunningService service = new RunningService(root, p)) {
                assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "photo.jpg", "media_id", "odd-password")
                        .statusCode()).isEqualTo(200);
                JsonNode status = AwaitJob.finished(service, "odd-password");
                assertThat(status.path("status").asText()).isEqualTo("completed");
                Path delivered = sftp.root().resolve(status.path("filePath").asText().substring(1));
                assertThat(Files.size(delivered)).isPositive();
            }
        }
    }
}
