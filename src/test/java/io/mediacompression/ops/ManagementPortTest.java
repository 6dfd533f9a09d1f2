package io.mediacompression.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MANAGEMENT_PORT: health and metrics on their own plain-HTTP port, and nowhere else; INTERNAL_SERVICE_KEYS: the
 * handshake endpoints take only those keys, the others only API_KEYS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementPortTest {

    private static final String SERVICE_KEY = "internal-svc-key";

    private static final int MANAGEMENT_PORT = freePort();

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application()
            .with("camel.management.port", Integer.toString(MANAGEMENT_PORT))
            .with("internal-service.keys", "old-svc-key," + SERVICE_KEY);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int managementPort = MANAGEMENT_PORT;
    private RunningService service;

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> management(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void health_and_metrics_answer_on_the_management_port_only() throws Exception {
        assertThat(management("/observe/health/ready").statusCode()).isEqualTo(200);
        assertThat(management("/observe/health/live").body()).contains("UP");
        HttpResponse<String> metrics = management("/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("media_queue_depth");

        assertThat(service.get("/observe/health/ready", null).statusCode()).isEqualTo(404);
        assertThat(service.get("/observe/health", null).statusCode()).isEqualTo(404);
        assertThat(service.get("/observe/metrics", null).statusCode()).isEqualTo(404);
    }

    @Test
    void the_management_port_serves_no_business_endpoint() throws Exception {
        assertThat(service.get("/status/abc", RunningService.KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/status/abc"))
                .header("X-API-Key", RunningService.KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(404);
    }

    @Test
    void the_handshake_endpoints_take_only_internal_service_keys_and_the_others_only_api_keys() throws Exception {
        assertThat(confirm("X-Internal-Service-Key", SERVICE_KEY).statusCode()).isEqualTo(404);
        assertThat(confirm("X-API-Key", "old-svc-key").statusCode()).isEqualTo(404);
        assertThat(confirm("X-API-Key", RunningService.KEY).statusCode()).isEqualTo(401);
        assertThat(confirm("X-Internal-Service-Key", RunningService.KEY).statusCode()).isEqualTo(401);

        assertThat(service.get("/status/abc", SERVICE_KEY).statusCode()).isEqualTo(401);
        assertThat(service.get("/status/abc", RunningService.KEY).statusCode()).isEqualTo(200);
    }

    // 404: the key was accepted and the unknown video_id looked up
    private HttpResponse<String> confirm(String header, String key) throws Exception {
        return service.send(HttpRequest.newBuilder(service.uri("/video/confirm"))
                .header("Content-Type", "application/x-www-form-urlencoded").header(header, key)
                .POST(HttpRequest.BodyPublishers.ofString("video_id=nope")));
    }
}
