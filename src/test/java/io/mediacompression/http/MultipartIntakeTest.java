package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import io.mediacompression.upload.UploadReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The multipart body as the intake reads it: what it stores, and what it refuses. */
class MultipartIntakeTest {

    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    // one service a test: each counts what is staged in its WORK_DIR
    @RegisterExtension
    final ServiceExtension app = ServiceExtension.application().withWorkersStopped();

    @TempDir
    Path root;

    private RunningService service;

    @Test
    void stores_the_uploaded_bytes_exactly_even_when_they_resemble_the_boundary() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        System.arraycopy(PNG_HEAD, 0, content, 0, PNG_HEAD.length);
        byte[] lookalike = "\r\n--b\r\n--\r\n\r\n--".getBytes(StandardCharsets.US_ASCII);
        for (int at = 1000; at + lookalike.length < content.length; at += 65_531) {
            System.arraycopy(lookalike, 0, content, at, lookalike.length);
        }
        Path png = Files.write(root.resolve("a.png"), content);

        assertThat(service.upload(RunningService.KEY, png, "a.png", "media_id", "exact").statusCode()).isEqualTo(200);

        List<Path> staged = stagedFiles();
        assertThat(staged).hasSize(1);
        assertThat(staged.get(0).getFileName().toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.png");
        assertThat(Files.readAllBytes(staged.get(0))).isEqualTo(content);
    }

    @Test
    void refuses_more_form_fields_than_a_request_needs_and_stages_nothing() throws Exception {
        Path png = Files.write(root.resolve("a.png"), PNG_HEAD);
        String[] fields = new String[2 * (UploadReceiver.MAX_FIELDS + 1)];
        for (int i = 0; i < fields.length; i += 2) {
            fields[i] = i == 0 ? "media_id" : "extra" + i;
            fields[i + 1] = "x";
        }
        HttpResponse<String> answer = service.upload(RunningService.KEY, png, "a.png", fields);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("form fields");
        assertThat(service.filesLeftInWorkDir()).isEmpty();
        assertThat(service.statusOf("x")).isEqualTo("not_found");
    }

    @Test
    void refuses_a_body_that_ends_before_its_closing_boundary() throws Exception {
        String body = "--cut\r\nContent-Disposition: form-data; name=\"media_id\"\r\n\r\ncut-short\r\n"
                + "--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n"
                + new String(PNG_HEAD, StandardCharsets.ISO_8859_1);
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/compress/"))
                        .header("X-API-Key", RunningService.KEY)
                        .header("Content-Type", "multipart/form-data; boundary=cut")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.ISO_8859_1))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("multipart body could not be read");
        assertThat(service.filesLeftInWorkDir()).isEmpty();
        assertThat(service.statusOf("cut-short")).isEqualTo("not_found");
    }

    private List<Path> stagedFiles() throws Exception {
        return service.stagedUploads();
    }
}
