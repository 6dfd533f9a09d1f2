package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LmsCredentialsTest {

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void the_user_info_becomes_basic_authentication_and_leaves_the_url() {
        LmsCredentials credentials = new LmsCredentials("https://lms-user:p)&%25%20x+%7B%7B@lms.example.org:8443/api/store?token=a@b");
        assertThat(credentials.url()).isEqualTo("https://lms.example.org:8443/api/store?token=a@b");
        assertThat(credentials.authorization()).hasValue(basic("lms-user:p)&% x+{{"));

        LmsCredentials none = new LmsCredentials("http://127.0.0.1:8000/confirm?token=x@y");
        assertThat(none.url()).isEqualTo("http://127.0.0.1:8000/confirm?token=x@y");
        assertThat(none.authorization()).isEmpty();
        assertThat(new LmsCredentials("").url()).isEmpty();
        assertThat(new LmsCredentials("https://user:p@ss@lms/x").authorization()).hasValue(basic("user:p@ss"));
    }
}
