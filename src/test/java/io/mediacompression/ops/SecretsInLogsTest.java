package io.mediacompression.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.Fixtures;
import io.mediacompression.support.LmsStandIn;
import io.mediacompression.support.RedisServer;
import io.mediacompression.support.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the service with every kind of secret set (API keys, a Redis password inside REDIS_URL, the SFTP password,
 * Jolokia credentials, a token in the LMS URLs) at DEBUG level, through a job, a refused request, a Jolokia call and a shutdown; then reads
 * every line it wrote.
 */
class SecretsInLogsTest {

    private static final String API_KEY = "ak-7f3c9e1d5b";
    private static final String OLD_API_KEY = "ak-old-4a8b2c";
    private static final String REDIS_PASSWORD = "rp-91d0e6aa";
    private static final String SFTP_PASSWORD = "sp-5e2f7c13";
    private static final String JOLOKIA_PASSWORD = "jp-c4b81d9f";
    private static final String LMS_TOKEN = "lt-0b7d33e2";
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "webhook secret of 32 bytes: 7e1a".getBytes(StandardCharsets.UTF_8));
    private static final String INTERNAL_KEY = "ik-2d9f61b0";
    private static final String BEARER_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsbXMifQ.c2lnbmF0dXJlLTM5YjE";

    @TempDir
    Path root;

    @Test
    void no_key_or_password_appears_in_any_line_even_at_debug_level() throws Exception {
        List<String> lines;
        try (RedisServer redis = RedisServer.withPassword(REDIS_PASSWORD);
             LmsStandIn lms = new LmsStandIn();
             ServiceProcess service = new ServiceProcess(root, Map.ofEntries(
                     Map.entry("CLIENT_CONFIRM_API", lms.url("/confirm?token=" + LMS_TOKEN)),
                     Map.entry("LMS_STORE_URL", lms.url("/store?token=" + LMS_TOKEN)),
                     Map.entry("API_KEYS", OLD_API_KEY + "," + ServiceProcess.KEY + "," + API_KEY),
                     Map.entry("REDIS_URL", redis.url()),
                     Map.entry("SFTP_PASSWORD", SFTP_PASSWORD),
                     Map.entry("JOLOKIA_ENABLED", "true"),
                     Map.entry("JOLOKIA_USER", "ops"),
                     Map.entry("JOLOKIA_PASSWORD", JOLOKIA_PASSWORD),
                     Map.entry("WEBHOOK_SECRETS", WEBHOOK_SECRET),
                     Map.entry("INTERNAL_SERVICE_KEYS", INTERNAL_KEY),
                     Map.entry("LOG_LEVEL", "DEBUG")), Map.of())) {
            assertThat(service.upload(Fixtures.jpeg(), "photo.jpg", "secret-job").statusCode()).isEqualTo(200);
            service.awaitStatus("secret-job", "completed", Duration.ofSeconds(60));
            assertThat(service.get("/status/secret-job").statusCode()).isEqualTo(200);
            String base = "http://127.0.0.1:" + service.port();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(base + "/status/x"))
                    .header("X-API-Key", API_KEY + "-wrong").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            HttpResponse<String> withToken = client.send(HttpRequest.newBuilder(URI.create(base + "/status/x"))
                    .header("X-API-Key", API_KEY).header("Authorization", "Bearer " + BEARER_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withToken.statusCode()).isEqualTo(200);
            HttpResponse<String> jolokia = client.send(HttpRequest.newBuilder(URI.create(base + "/observe/jolokia/version"))
                    .header("Authorization", "Basic " + basic("ops:" + JOLOKIA_PASSWORD)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(jolokia.statusCode()).isEqualTo(200);
            service.terminate();
            assertThat(service.awaitExit(Duration.ofSeconds(30))).isTrue();
            lines = service.lines();
        }
        assertThat(lines).hasSizeGreaterThan(100);
        assertThat(lines).anyMatch(l -> l.contains("api.apikey = xxxxxx"));
        for (String secret : List.of(API_KEY, OLD_API_KEY, REDIS_PASSWORD, SFTP_PASSWORD, JOLOKIA_PASSWORD,
                basic("ops:" + JOLOKIA_PASSWORD), LMS_TOKEN, WEBHOOK_SECRET, WEBHOOK_SECRET.substring(6), INTERNAL_KEY,
                BEARER_TOKEN)) {
            assertThat(lines).as("lines containing " + secret).noneMatch(l -> l.contains(secret));
        }
    }

    private static String basic(String credentials) {
        return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
