package io.mediacompression.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.yaml against the running service: every endpoint it serves is documented, and each answer below has a
 * documented status for its operation and a body that validates against that response's schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MP4_HEAD = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
        'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private JsonNode api;

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application().withLms("lms.store-url", "/store");

    @TempDir
    static Path root;

    private RunningService service;

    @BeforeAll
    void readApi() throws Exception {
        api = new YAMLMapper().readTree(Path.of("docs", "openapi.yaml").toFile());
    }

    @Test
    void every_endpoint_the_service_serves_is_documented() {
        Set<String> documented = new LinkedHashSet<>();
        api.path("paths").fieldNames().forEachRemaining(p -> documented.add(normalize(p)));
        PlatformHttpComponent http = service.context().getComponent("platform-http", PlatformHttpComponent.class);
        Set<String> served = new LinkedHashSet<>();
        http.getHttpEndpoints().forEach(e -> served.add(normalize(e.getUri())));
        http.getHttpManagementEndpoints().forEach(e -> served.add(normalize(e.getUri())));
        assertThat(documented).containsAll(served);
    }

    @Test
    void compress_answers_as_documented() throws Exception {
        Path png = Files.write(root.resolve("a.png"), PNG_HEAD);
        check("post", "/compress/", upload("/compress/", RunningService.KEY, png, "a.png", "media_id", "api-1"), 200);
        check("post", "/compress/", upload("/compress/", null, png, "a.png", "media_id", "api-2"), 401);
        check("post", "/compress/", upload("/compress/", RunningService.KEY, png, "a.png"), 400);
        check("post", "/compress/", upload("/compress/", RunningService.KEY, png, "a.txt", "media_id", "api-3"), 400);
        check("post", "/compress/", upload("/compress", RunningService.KEY, Fixtures.jpeg(), "photo.jpg", "media_id", "api-4"), 200);
    }

    @Test
    void a_duplicate_upload_answers_the_documented_conflict() throws Exception {
        service.context().getRouteController().suspendRoute("transcode");
        try {
            Path png = Files.write(root.resolve("d.png"), PNG_HEAD);
            check("post", "/compress/", upload("/compress/", RunningService.KEY, png, "d.png", "media_id", "api-dup"), 200);
            check("post", "/compress/", upload("/compress/", RunningService.KEY, png, "d.png", "media_id", "api-dup"), 409);
        } finally {
            service.context().getRouteController().resumeRoute("transcode");
        }
    }

    @Test
    void status_answers_as_documented() throws Exception {
        check("get", "/status/{media_id}", get("/status/never-seen", RunningService.KEY), 200);
        check("get", "/status/{media_id}", get("/status/never-seen", null), 401);
        check("get", "/status/{media_id}", get("/status/" + URLEncoder.encode("bad id!", StandardCharsets.UTF_8), RunningService.KEY), 400);
    }

    @Test
    void health_and_metrics_answer_as_documented_without_a_key() throws Exception {
        check("get", "/observe/health", get("/observe/health?exposureLevel=full", null), 200);
        check("get", "/observe/health/live", get("/observe/health/live", null), 200);
        check("get", "/observe/health/ready", get("/observe/health/ready", null), 200);
        HttpResponse<String> metrics = get("/observe/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(documentedResponse("get", "/observe/metrics", 200).path("content").has("text/plain")).isTrue();
    }

    @Test
    void the_document_itself_is_served_without_a_key() throws Exception {
        HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
        assertThat(answer.body()).isEqualTo(Files.readAllBytes(Path.of("docs", "openapi.yaml")));
        assertThat(documentedResponse("get", "/openapi.yaml", 200).path("content").has("application/yaml")).isTrue();
        // a wrong method gets the JSON refusal every endpoint gives
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/openapi.yaml"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).contains("\"error\"");
    }

    @Test
    void the_handshake_endpoints_answer_as_documented() throws Exception {
        // refusals with a small body: a refused upload is not read, and the connection is closed after the answer
        Path head = Files.write(root.resolve("head.mp4"), MP4_HEAD);
        check("post", "/video/receive", upload("/video/receive", null, head, "v.mp4", "video_id", "v1", "organization_id", "o1"), 401);
        check("post", "/video/receive", upload("/video/receive", RunningService.KEY, head, "v.mp4", "organization_id", "o1"), 400);
        Path mp4 = Fixtures.landscape1080p();
        check("post", "/video/receive", upload("/video/receive", RunningService.KEY, mp4, "v.mp4", "video_id", "api-v1",
                "organization_id", "o1"), 200);
        HttpResponse<String> confirm = client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/video/confirm"))
                .header("X-API-Key", RunningService.KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("video_id=never-sent")).build(), HttpResponse.BodyHandlers.ofString());
        checkDocumented("post", "/video/confirm", confirm);
        HttpResponse<String> tooBig = client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/video/confirm"))
                .header("X-API-Key", RunningService.KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("video_id=x&pad=" + "a".repeat(70_000))).build(),
                HttpResponse.BodyHandlers.ofString());
        check("post", "/video/confirm", tooBig, 413);
    }

    /** The answer has the expected status, documented for the operation, and a body valid against its schema. */
    private void check(String method, String path, HttpResponse<String> answer, int expected) throws Exception {
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(expected);
        checkDocumented(method, path, answer);
    }

    private void checkDocumented(String method, String path, HttpResponse<String> answer) throws Exception {
        JsonNode response = documentedResponse(method, path, answer.statusCode());
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return;
        }
        assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        ObjectNode document = schema.deepCopy();
        document.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        document.set("components", api.path("components"));
        Set<ValidationMessage> errors = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(document).validate(JSON.readTree(answer.body()));
        assertThat(errors).as(method + " " + path + " " + answer.statusCode() + ": " + answer.body()).isEmpty();
    }

    private JsonNode documentedResponse(String method, String path, int status) {
        JsonNode operation = api.path("paths").path(path).path(method);
        assertThat(operation.isMissingNode()).as(method + " " + path + " is documented").isFalse();
        JsonNode response = operation.path("responses").path(Integer.toString(status));
        assertThat(response.isMissingNode()).as(method + " " + path + " documents " + status).isFalse();
        return response.has("$ref") ? resolve(response.path("$ref").asText()) : response;
    }

    private JsonNode resolve(String ref) {
        JsonNode node = api;
        for (String part : ref.substring(2).split("/")) {
            node = node.path(part);
        }
        return node;
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> upload(String path, String key, Path file, String filename, String... fields) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(fields[i])
                    .append("\"\r\n\r\n").append(fields[i + 1]).append("\r\n");
        }
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(filename).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head.toString()),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** `/status/{mediaId}` and `/status/{media_id}` are the same path; `/compress` is served for `/compress/`. */
    private static String normalize(String path) {
        String p = path.replaceAll("\\{[^}]*}", "{}");
        return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
    }
}
