package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {

    // the example of the Standard Webhooks specification's reference libraries
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void signs_the_reference_example_as_the_specification_does() {
        WebhookSignatures signatures = new WebhookSignatures(SECRET, Clock.systemUTC());
        assertThat(signatures.signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void gives_one_signature_per_secret_space_separated() {
        WebhookSignatures signatures = new WebhookSignatures(" whsec_" + "A".repeat(32) + " , " + SECRET, Clock.systemUTC());
        String header = signatures.signature("msg_1", 1, new byte[] {1, 2, 3});
        assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.matches("v1,[A-Za-z0-9+/]{43}="));
    }

    @Test
    void refuses_secrets_that_are_not_whsec_and_24_bytes_of_base64_without_showing_them() {
        assertThatThrownBy(() -> new WebhookSignatures("plain-secret-value", Clock.systemUTC()))
                .hasMessageContaining("secret 1 does not start with whsec_").hasMessageNotContaining("plain-secret-value");
        assertThatThrownBy(() -> new WebhookSignatures(SECRET + ",whsec_not*base64", Clock.systemUTC()))
                .hasMessageContaining("secret 2 is not whsec_ followed by base64").hasMessageNotContaining("not*base64");
        assertThatThrownBy(() -> new WebhookSignatures("whsec_c2hvcnQ=", Clock.systemUTC()))
                .hasMessageContaining("fewer than 24 bytes");
        assertThat(new WebhookSignatures("", Clock.systemUTC()).enabled()).isFalse();
    }
}
