package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import io.mediacompression.support.SftpStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A password made of the characters that mean something to Camel's URIs and placeholders still logs in. */
class SftpSecretCharactersTest {

    private static final String PASSWORD = " )&{{% pass word}} RAW(x) ${env:HOME} %20+ ";

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application()
            .with("jobs.workers", "1")
            .withSftp(PASSWORD)
            .with("retry.max-attempts", "1");

    private SftpStandIn sftp;
    private RunningService service;

    @Test
    void delivers_over_sftp_with_a_password_made_of_parentheses_ampersands_braces_percents_and_spaces() throws Exception {
        assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "photo.jpg", "media_id", "odd-password")
                .statusCode()).isEqualTo(200);
        JsonNode status = AwaitJob.finished(service, "odd-password");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        Path delivered = sftp.root().resolve(status.path("filePath").asText().substring(1));
        assertThat(Files.size(delivered)).isPositive();
    }
}
