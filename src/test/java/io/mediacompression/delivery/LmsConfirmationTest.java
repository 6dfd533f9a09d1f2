package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

class LmsConfirmationTest {

    @Test
    void writes_exactly_the_contract_json() throws Exception {
        assertThat(new ObjectMapper().writeValueAsString(new ConfirmationBody("abc123", "/public_html/videos/x.mp4")))
                .isEqualTo("{\"mediaId\":\"abc123\",\"filePath\":\"/public_html/videos/x.mp4\"}");
    }

    @Test
    void describes_why_the_lms_did_not_accept_it() {
        assertThat(LmsConfirmation.describe(new HttpOperationFailedException("http://lms/confirm", 503, "Unavailable",
                null, null, "busy"))).isEqualTo("it answered 503");
        assertThat(LmsConfirmation.describe(new ConnectException("Connection refused")))
                .isEqualTo("ConnectException: Connection refused");
    }
}
