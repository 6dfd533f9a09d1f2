package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdentityTokensTest {

    @Test
    void refuses_to_start_without_an_audience_allowed_subjects_or_an_https_issuer() {
        assertThatThrownBy(() -> new IdentityTokens("https://accounts.google.com", "", "lms@p.iam.gserviceaccount.com",
                Duration.ofSeconds(30))).hasMessageContaining("OIDC_AUDIENCE");
        assertThatThrownBy(() -> new IdentityTokens("https://accounts.google.com", "https://media", " , ",
                Duration.ofSeconds(30))).hasMessageContaining("OIDC_ALLOWED_SUBJECTS");
        assertThatThrownBy(() -> new IdentityTokens("http://issuer.example.org", "https://media", "lms",
                Duration.ofSeconds(30))).hasMessageContaining("https://");
        new IdentityTokens("http://127.0.0.1:8999/issuer", "https://media", "lms", Duration.ofSeconds(30));
    }
}
