package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.LmsStandIn;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without SFTP_HOST the result stays in OUTPUT_DIR, and the LMS is still told where it is. */
class LocalDeliveryConfirmationTest {

    private static final String CONFIRM = "/confirm";

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application().withLms("client-confirm.url", CONFIRM);

    private LmsStandIn lms;
    private RunningService service;

    @Test
    void confirms_a_result_kept_in_the_output_dir() throws Exception {
        service.upload(RunningService.KEY, Fixtures.jpeg(), "photo.jpg", "media_id", "local-1");

        JsonNode status = AwaitJob.finished(service, "local-1");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        String filePath = status.path("filePath").asText();
        assertThat(Path.of(filePath)).isRegularFile().startsWith(service.outputDir().resolve("images"));
        assertThat(lms.received(CONFIRM)).singleElement().satisfies(call -> assertThat(
                new ObjectMapper().readTree(call.body())).isEqualTo(new ObjectMapper().createObjectNode()
                .put("mediaId", "local-1").put("filePath", filePath)));
    }
}
