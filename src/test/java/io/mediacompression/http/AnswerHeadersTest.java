package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Answers carry the headers they mean to, and nothing of the request: not the API key, fields or query. */
class AnswerHeadersTest {

    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application();

    @TempDir
    Path root;

    private RunningService service;

    @Test
    void an_accepted_upload_does_not_echo_the_api_key_or_the_form_fields() throws Exception {
        Path png = Files.write(root.resolve("a.png"), PNG_HEAD);
        HttpResponse<String> answer = service.upload(RunningService.KEY, png, "a.png", "media_id", "h1", "note", "x");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().map().keySet()).map(String::toLowerCase)
                .doesNotContain("x-api-key", "media_id", "note");
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void status_answers_and_refusals_do_not_echo_the_key_or_the_query() throws Exception {
        HttpResponse<String> status = service.get("/status/h2?probe=1", RunningService.KEY);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().map().keySet()).map(String::toLowerCase).doesNotContain("x-api-key", "probe");

        HttpResponse<String> refused = service.get("/status/h2", "wrong-key");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().map().keySet()).map(String::toLowerCase).doesNotContain("x-api-key");
        assertThat(refused.headers().map().values().toString()).doesNotContain("wrong-key");
    }

    @Test
    void handshake_answers_do_not_echo_the_service_key_or_the_form() throws Exception {
        HttpResponse<String> confirm = service.send(java.net.http.HttpRequest.newBuilder(service.uri("/video/confirm"))
                .header("X-Internal-Service-Key", RunningService.KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("video_id=unknown-1")));
        assertThat(confirm.statusCode()).isEqualTo(404);
        assertThat(confirm.headers().map().keySet()).map(String::toLowerCase)
                .doesNotContain("x-internal-service-key", "video_id");

        HttpResponse<String> receive = service.send(java.net.http.HttpRequest.newBuilder(service.uri("/video/receive"))
                .header("X-Internal-Service-Key", "wrong-key")
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("--b--\r\n")));
        assertThat(receive.statusCode()).isEqualTo(401);
        assertThat(receive.headers().map().values().toString()).doesNotContain("wrong-key");
    }
}
