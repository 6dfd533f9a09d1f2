package io.mediacompression.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

class SecretMaskingTest {

    @Test
    void finds_the_secrets_among_the_environment_variables() {
        List<String> secrets = SecretMasking.secretsIn(Map.of(
                "API_KEYS", "key-one, key-two,",
                "SFTP_PASSWORD", "sftp-pass",
                "REDIS_URL", "redis://user:p%40ss@redis:6379/1",
                "LMS_STORE_URL", "https://lms.example.org/store?token=abc123&org=7",
                "CLIENT_CONFIRM_API", "https://lms.example.org/confirm",
                "WORK_DIR", "/data/work"));
        assertThat(secrets).contains("key-one", "key-two", "sftp-pass", "p%40ss", "p@ss", "token=abc123&org=7", "abc123")
                .doesNotContain("/data/work", "https://lms.example.org/confirm");
    }

    @Test
    void masks_every_secret_in_the_message_and_the_stack_trace() {
        SecretMasking masking = new SecretMasking(List.of("key-one", "p@ss", "ab"));
        LogEvent event = Log4jLogEvent.newBuilder().setLevel(Level.DEBUG).setLoggerName("x")
                .setMessage(new SimpleMessage("sent key-one to redis://:p@ss@host, ab stays (too short to mask)"))
                .setThrown(new IllegalStateException("refused key-one"))
                .build();
        LogEvent masked = masking.rewrite(event);
        assertThat(masked.getMessage().getFormattedMessage())
                .isEqualTo("sent *** to redis://:***@host, ab stays (too short to mask)");
        StringWriter trace = new StringWriter();
        masked.getThrown().printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).contains("refused ***").doesNotContain("key-one");
    }

    @Test
    void leaves_a_line_without_secrets_as_it_is() {
        SecretMasking masking = new SecretMasking(List.of("key-one"));
        LogEvent event = Log4jLogEvent.newBuilder().setMessage(new SimpleMessage("nothing here")).build();
        assertThat(masking.rewrite(event)).isSameAs(event);
    }
}
