package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.RawHttp;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken input, generated here: never a 5xx, never a crash, and nothing left in WORK_DIR once the jobs
 * that were accepted have ended (as `failed: <reason>`).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private static final Random RANDOM = new Random(42);

    // the extension stops the service after the @AfterAll below has checked it
    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application().with("http.upload-stall-timeout", "1s");

    @TempDir
    static Path root;

    private RunningService service;
    private final List<String> accepted = new ArrayList<>();

    @AfterAll
    void every_accepted_job_ended_and_nothing_is_left() throws Exception {
        for (String mediaId : accepted) {
            assertThat(AwaitJob.finished(service, mediaId).path("status").asText()).startsWith("failed: ");
        }
        assertThat(service.filesLeftInWorkDir()).isEmpty();
        assertThat(service.status("anything").statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void refuses_empty_files_and_files_whose_content_is_not_their_extension() throws Exception {
        refused(upload("empty.mp4", new byte[0]));
        refused(upload("empty.jpg", new byte[0]));
        refused(upload("png-named.mp4", Files.readAllBytes(Fixtures.pngWithAlpha())));
        refused(upload("text.jpg", "GIF89a, or rather not".getBytes(StandardCharsets.US_ASCII)));
        refused(upload("jpeg-named.mkv", Files.readAllBytes(Fixtures.jpeg())));
        refused(upload("random.webp", random(4096)));
    }

    @Test
    void fails_right_signatures_followed_by_random_bytes() throws Exception {
        jobFails("noise.mp4", concat(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, random(200_000)));
        jobFails("noise.mkv", concat(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3}, random(200_000)));
        jobFails("noise.png", concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, random(50_000)));
        jobFails("noise.jpg", concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, random(50_000)));
        jobFails("noise.webp", concat("RIFF\0\0\0\0WEBP".getBytes(StandardCharsets.ISO_8859_1), random(50_000)));
    }

    @Test
    void fails_truncated_media_and_enormous_declared_dimensions() throws Exception {
        jobFails("cut.mp4", Files.readAllBytes(Fixtures.truncatedVideo()));
        byte[] jpeg = Files.readAllBytes(Fixtures.jpeg());
        jobFails("cut.jpg", Arrays.copyOf(jpeg, 600));
        jobFails("bomb.png", Files.readAllBytes(Fixtures.pngBomb()));
    }

    @Test
    void refuses_10000_character_field_values_and_filenames() throws Exception {
        String huge = "x".repeat(10_000);
        Path png = Fixtures.pngWithAlpha();
        refused(service.upload(RunningService.KEY, png, "a.png", "media_id", huge));
        assertThat(service.upload(RunningService.KEY, png, huge + ".png", "media_id", "long-name").statusCode())
                .isLessThan(500);
        assertThat(service.upload(RunningService.KEY, png, "a.png", "media_id", "long-field", "note", huge)
                .statusCode()).isLessThan(500);
        assertThat(service.status(huge).statusCode()).isBetween(400, 499);
        forget("long-name");
        forget("long-field");
    }

    @Test
    void refuses_malformed_multipart_bodies() throws Exception {
        String key = "X-API-Key: " + RunningService.KEY + "\r\n";
        byte[] garbage = random(5000);
        refusedRaw(RawHttp.post(service.port(), "/compress/", key + "Content-Type: multipart/form-data; boundary=XYZ\r\n",
                garbage, garbage.length, Duration.ofSeconds(10)));
        refusedRaw(RawHttp.post(service.port(), "/compress/", key + "Content-Type: multipart/form-data\r\n",
                garbage, garbage.length, Duration.ofSeconds(10)));
        byte[] unterminated = ("--XYZ\r\nContent-Disposition: form-data; name=\"media_id\"\r\n\r\nm1\r\n--XYZ\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\u0089PNG\r\n\u001a\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        refusedRaw(RawHttp.post(service.port(), "/compress/", key + "Content-Type: multipart/form-data; boundary=XYZ\r\n",
                unterminated, unterminated.length, Duration.ofSeconds(10)));
        refusedRaw(RawHttp.post(service.port(), "/compress/", key + "Content-Type: application/json\r\n",
                "{\"media_id\":\"m1\"}".getBytes(StandardCharsets.US_ASCII), 17, Duration.ofSeconds(10)));
    }

    @Test
    void refuses_two_file_parts() throws Exception {
        String key = "X-API-Key: " + RunningService.KEY + "\r\n";
        byte[] png = Files.readAllBytes(Fixtures.jpeg());
        String part = "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n";
        byte[] body = concat(("--XYZ\r\nContent-Disposition: form-data; name=\"media_id\"\r\n\r\ntwo\r\n" + part)
                .getBytes(StandardCharsets.ISO_8859_1), png, ("\r\n" + part).getBytes(StandardCharsets.ISO_8859_1), png,
                "\r\n--XYZ--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        RawHttp.Answer answer = RawHttp.post(service.port(), "/compress/",
                key + "Content-Type: multipart/form-data; boundary=XYZ\r\n", body, body.length, Duration.ofSeconds(10));
        refusedRaw(answer);
        assertThat(answer.rest()).contains("exactly one file");
        assertThat(service.status("two").body()).contains("not_found");
    }

    @Test
    void answers_an_upload_that_stalls_halfway_with_408_and_keeps_nothing() throws Exception {
        String key = "X-API-Key: " + RunningService.KEY + "\r\n";
        byte[] head = ("--XYZ\r\nContent-Disposition: form-data; name=\"media_id\"\r\n\r\nstall\r\n--XYZ\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] half = concat(head, Arrays.copyOf(Files.readAllBytes(Fixtures.landscape1080p()), 100_000));
        RawHttp.Answer answer = RawHttp.post(service.port(), "/compress/",
                key + "Content-Type: multipart/form-data; boundary=XYZ\r\n", half, half.length * 2L, Duration.ofSeconds(20));
        assertThat(answer.status()).isEqualTo(408);
        assertThat(service.status("stall").body()).contains("not_found");
        assertThat(service.filesLeftInWorkDir()).isEmpty();
    }

    @Test
    void refusals_of_the_http_server_itself_are_json_too() throws Exception {
        HttpResponse<String> unknownPath = service.get("/nothing/here", RunningService.KEY);
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(unknownPath.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(unknownPath.body()).isEqualTo("{\"error\":\"Not found\"}");

        HttpResponse<String> wrongMethod = service.send(HttpRequest.newBuilder(service.uri("/compress/"))
                .header("X-API-Key", RunningService.KEY).DELETE());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(wrongMethod.body()).isEqualTo("{\"error\":\"Method not allowed\"}");

        // a form over camel.server.maxBodySize (64 KB) is refused while Vert.x buffers it, before the route
        HttpResponse<String> bigForm = service.send(HttpRequest.newBuilder(service.uri("/video/confirm"))
                .header("X-API-Key", RunningService.KEY).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("video_id=x&pad=" + "a".repeat(70_000))));
        assertThat(bigForm.statusCode()).isEqualTo(413);
        assertThat(bigForm.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(bigForm.body()).isEqualTo("{\"error\":\"Request body too large\","
                + "\"message\":\"This endpoint takes a body of at most 65536 bytes\"}");
    }

    // ---------------------------------------------------------------------------------------------------------

    private HttpResponse<String> upload(String filename, byte[] content) throws Exception {
        Path file = Files.write(root.resolve("input-" + System.nanoTime()), content);
        return service.upload(RunningService.KEY, file, filename, "media_id", "bad-" + System.nanoTime());
    }

    private void jobFails(String filename, byte[] content) throws Exception {
        String mediaId = "bad-" + filename.replace('.', '-');
        Path file = Files.write(root.resolve("input-" + mediaId), content);
        HttpResponse<String> answer = service.upload(RunningService.KEY, file, filename, "media_id", mediaId);
        assertThat(answer.statusCode()).as(filename + ": " + answer.body()).isEqualTo(200);
        accepted.add(mediaId);
    }

    // a job that may or may not have been accepted: wait for it if it was, so WORK_DIR is checked after it
    private void forget(String mediaId) throws Exception {
        if (!service.status(mediaId).body().contains("not_found")) {
            AwaitJob.finished(service, mediaId);
        }
    }

    private static void refused(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499);
        assertThat(answer.body()).startsWith("{\"error\":");
    }

    private static void refusedRaw(RawHttp.Answer answer) {
        assertThat(answer.status()).as(answer.rest()).isBetween(400, 499);
        assertThat(answer.rest()).contains("{\"error\":");
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
