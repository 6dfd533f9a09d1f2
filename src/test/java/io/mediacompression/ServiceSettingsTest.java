package io.mediacompression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mediacompression.job.CpuPriority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings as application.properties defines them, with a few overridden as the environment would. */
class ServiceSettingsTest {

    @TempDir
    Path dir;

    @Test
    void gives_camel_the_retry_delays_and_http_timeouts_in_milliseconds() throws Exception {
        ServiceSettings settings = settings(Map.of(
                "retry.max-attempts", "3", "retry.initial-delay", "250ms", "retry.max-delay", "2m"));
        assertThat(settings.routeProperties())
                .containsEntry("client-confirm.connect-timeout-ms", "10000")
                .containsEntry("client-confirm.response-timeout-ms", "30000");
        RedeliveryPolicy retries = settings.retry().redeliveryPolicy();
        assertThat(retries.getMaximumRedeliveries()).isEqualTo(2);
        assertThat(retries.getRedeliveryDelay()).isEqualTo(250);
        assertThat(retries.getMaximumRedeliveryDelay()).isEqualTo(120_000);
        assertThat(retries.isUseExponentialBackOff()).isTrue();
        assertThat(retries.getBackOffMultiplier()).isEqualTo(2);
        assertThat(retries.isAsyncDelayedRedelivery()).isTrue();
    }

    @Test
    void keeps_local_delivery_and_makes_no_confirmation_call_by_default() throws Exception {
        ServiceSettings settings = settings(Map.of());
        assertThat(settings.routeProperties()).containsEntry("sftp.enabled", "false")
                .containsEntry("client-confirm.enabled", "false");
        assertThat(settings.retry().redeliveryPolicy().getMaximumRedeliveries()).isEqualTo(4);
        assertThat(settings.retry().redeliveryPolicy().getRedeliveryDelay()).isEqualTo(2000);
        assertThat(settings.retry().redeliveryPolicy().getMaximumRedeliveryDelay()).isEqualTo(60_000);
        assertThat(settings.sftp().baseDir()).isEqualTo("/public_html");
        assertThat(settings.sftp().verifyHostKey()).isTrue();
    }

    @Test
    void keeps_the_sftp_password_out_of_what_is_logged() throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        ServiceSettings settings = settings(Map.of("sftp.host", "storage.example", "sftp.user", "u",
                "sftp.password", "Secret-Value-42", "sftp.known-hosts-file", knownHosts.toString(),
                "client-confirm.url", "https://lms.example/api/confirm?token=Token-Value-43"));
        assertThat(settings.routeProperties()).containsEntry("sftp.enabled", "true")
                .containsEntry("client-confirm.enabled", "true");
        assertThat(settings.toString()).doesNotContain("Secret-Value-42").doesNotContain("Token-Value-43");
    }

    @Test
    void refuses_sftp_without_known_hosts_unless_verification_is_turned_off() throws Exception {
        Map<String, String> sftp = Map.of("sftp.host", "storage.example", "sftp.user", "u", "sftp.password", "pw");
        assertThatThrownBy(() -> settings(sftp)).hasMessageContaining("SFTP_KNOWN_HOSTS_FILE")
                .hasMessageContaining("ssh-keyscan");

        Properties off = new Properties();
        off.putAll(sftp);
        off.put("sftp.strict-host-key-checking", "no");
        assertThat(settings(off).sftp().verifyHostKey()).isFalse();
        off.put("sftp.strict-host-key-checking", "false");
        assertThatThrownBy(() -> settings(off)).hasMessageContaining("yes or no");
    }

    @Test
    void refuses_a_confirmation_url_that_is_not_http() {
        assertThatThrownBy(() -> settings(Map.of("client-confirm.url", "lms.example/confirm")))
                .hasMessageContaining("CLIENT_CONFIRM_API");
    }

    @Test
    void refuses_fewer_than_one_attempt_and_a_first_delay_longer_than_the_last() {
        assertThatThrownBy(() -> settings(Map.of("retry.max-attempts", "0"))).hasMessageContaining("retry.max-attempts");
        assertThatThrownBy(() -> settings(Map.of("retry.initial-delay", "2m")))
                .hasMessageContaining("RETRY_INITIAL_DELAY");
    }

    @Test
    void refuses_the_shared_queue_without_redis_and_a_split_role_without_the_shared_queue() {
        assertThatThrownBy(() -> settings(Map.of("jobs.queue", "redis"))).hasMessageContaining("JOB_QUEUE=redis needs REDIS_URL");
        assertThatThrownBy(() -> settings(Map.of("service.role", "worker"))).hasMessageContaining("needs JOB_QUEUE=redis");
        assertThatThrownBy(() -> settings(Map.of("service.role", "cook"))).hasMessageContaining("ROLE must be");
    }

    @Test
    void runs_everything_on_the_local_queue_under_the_host_name_by_default() throws Exception {
        ServiceSettings settings = settings(Map.of());
        assertThat(settings.role()).isEqualTo(ServiceSettings.Role.ALL);
        assertThat(settings.jobQueue()).isEqualTo(ServiceSettings.QueueKind.LOCAL);
        assertThat(settings.instanceId()).isNotBlank();
        ServiceSettings worker = settings(Map.of("service.role", "worker", "jobs.queue", "redis",
                "redis.url", "redis://127.0.0.1:1", "service.instance-id", "w-7"));
        assertThat(worker.instanceId()).isEqualTo("w-7");
        assertThat(worker.routeProperties()).containsEntry("role.serves", "false").containsEntry("role.works", "true")
                .containsEntry("jobs.queue-redis", "true");
    }

    @Test
    void gives_the_routes_the_effective_worker_count_and_the_lms_urls_without_their_credentials() throws Exception {
        ServiceSettings settings = settings(Map.of("jobs.workers", "3",
                "client-confirm.url", "https://lms:Pass-Value-44@lms.example/confirm",
                "lms.store-url", "https://lms.example/store?token=Token-Value-45"));
        assertThat(settings.routeProperties()).containsEntry("jobs.worker-count", "3")
                .containsEntry("client-confirm.target.url", "https://lms.example/confirm")
                .containsEntry("lms.store.target.url", "https://lms.example/store?token=Token-Value-45");
        assertThat(settings.storeCallback()).isTrue();
        assertThat(settings(Map.of()).routeProperties().get("jobs.worker-count")).isNotEqualTo("0");
    }

    @Test
    void runs_ffmpeg_at_idle_priority_unless_given_a_niceness() throws Exception {
        assertThat(settings(Map.of()).jobs().ffmpegPriority()).isEqualTo(CpuPriority.IDLE);
        assertThat(settings(Map.of("ffmpeg.nice", "10")).jobs().ffmpegPriority()).isEqualTo(new CpuPriority(false, 10));
        for (String wrong : new String[] {"-5", "20", "low"}) {
            assertThatThrownBy(() -> settings(Map.of("ffmpeg.nice", wrong))).as(wrong)
                    .hasMessageContaining("FFMPEG_NICE must be idle or a niceness from 0 to 19");
        }
    }

    @Test
    void reads_the_keys_and_secrets_but_never_shows_them() throws Exception {
        ServiceSettings settings = settings(Map.of("api.apikey", "Key-Value-46", "internal-service.keys", "Key-Value-47",
                "webhook.secrets", "Secret-Value-48", "oidc.issuer", "https://issuer.example",
                "oidc.audience", "https://service.example", "oidc.allowed-subjects", "lms@example"));
        assertThat(settings.secrets().apiKeys()).isEqualTo("Key-Value-46");
        assertThat(settings.http().internalServiceKeys()).isEqualTo("Key-Value-47");
        assertThat(settings.delivery().webhookSecrets()).isEqualTo("Secret-Value-48");
        assertThat(settings.oidc()).hasValueSatisfying(oidc -> assertThat(oidc.audience())
                .isEqualTo("https://service.example"));
        assertThat(settings.toString() + settings.http() + settings.delivery() + settings.jobs())
                .doesNotContain("Key-Value-46").doesNotContain("Key-Value-47").doesNotContain("Secret-Value-48");
    }

    private static ServiceSettings settings(Map<?, ?> overrides) throws Exception {
        Properties p = new Properties();
        p.putAll(overrides);
        return settings(p);
    }

    private static ServiceSettings settings(Properties overrides) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:application.properties");
            context.getPropertiesComponent().setOverrideProperties(overrides);
            return ServiceSettings.from(context.getPropertiesComponent());
        }
    }
}
