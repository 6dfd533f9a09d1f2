package io.mediacompression.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /observe/jolokia: off by default; on, it answers only with the configured credentials. */
class JolokiaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTE_MBEAN = "org.apache.camel:context=media-compression,type=routes,name=%22transcode%22";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // the service started by each test with its own settings
    @RegisterExtension
    final ServiceExtension app = ServiceExtension.application().startedByTest();

    @Test
    void is_off_by_default() throws Exception {
        RunningService service = app.start();
        assertThat(get(service, "/observe/jolokia/version", null).statusCode()).isEqualTo(404);
    }

    @Test
    void refuses_anonymous_and_wrong_credentials_and_serves_jmx_with_the_right_ones() throws Exception {
        RunningService service = app.start(jolokia("ops", "hawtio-pass"));
        for (String path : new String[] {"/observe/jolokia", "/observe/jolokia/", "/observe/jolokia/version",
                "/observe/jolokia/read/" + ROUTE_MBEAN + "/ExchangesTotal"}) {
            HttpResponse<String> anonymous = get(service, path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Basic"));
            assertThat(get(service, path, basic("ops", "wrong")).statusCode()).as(path).isEqualTo(401);
            assertThat(get(service, path, basic("someone", "hawtio-pass")).statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/observe/jolokia/"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);

        HttpResponse<String> read = get(service, "/observe/jolokia/read/" + ROUTE_MBEAN + "/ExchangesTotal",
                basic("ops", "hawtio-pass"));
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(read.body());
        assertThat(answer.path("status").asInt()).isEqualTo(200);
        assertThat(answer.path("value").isNumber()).isTrue();
    }

    @Test
    void its_policy_refuses_heap_dumps_and_sending_messages_into_routes() throws Exception {
        RunningService service = app.start(jolokia("ops", "hawtio-pass"));
        HttpResponse<String> dump = get(service,
                "/observe/jolokia/exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/%2Ftmp%2Fdump.hprof/true",
                basic("ops", "hawtio-pass"));
        assertThat(JSON.readTree(dump.body()).path("status").asInt()).isEqualTo(403);
        HttpResponse<String> send = get(service,
                "/observe/jolokia/exec/org.apache.camel:context=media-compression,type=context,name=%22media-compression%22"
                        + "/sendBody/direct:deliver/x", basic("ops", "hawtio-pass"));
        assertThat(JSON.readTree(send.body()).path("status").asInt()).as(send.body()).isEqualTo(403);
        HttpResponse<String> routes = get(service,
                "/observe/jolokia/exec/org.apache.camel:context=media-compression,type=context,name=%22media-compression%22"
                        + "/dumpRoutesAsXml()", basic("ops", "hawtio-pass"));
        assertThat(JSON.readTree(routes.body()).path("status").asInt()).as(routes.body()).isEqualTo(200);
    }

    @Test
    void refuses_to_start_when_turned_on_without_credentials() {
        assertThatThrownBy(() -> app.start(jolokia("", "")))
                .hasStackTraceContaining("JOLOKIA_USER or JOLOKIA_PASSWORD is not set");
    }

    private static String[] jolokia(String user, String password) {
        return new String[] {"camel.management.jolokiaEnabled", "true", "jolokia.user", user, "jolokia.password", password};
    }

    private HttpResponse<String> get(RunningService service, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
