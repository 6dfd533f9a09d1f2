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

class CompressIntakeTest {

    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    // one service a test: each counts what is queued and staged
    @RegisterExtension
    final ServiceExtension app = ServiceExtension.application().with("jobs.queue-size", "2").with("jobs.workers", "1");

    @TempDir
    Path root;

    private RunningService service;

    private Path file(String name, byte[] content) throws Exception {
        return Files.write(root.resolve(name), content);
    }

    @Test
    void refuses_a_missing_or_wrong_key_and_stages_nothing() throws Exception {
        Path png = file("a.png", PNG_HEAD);
        for (String key : new String[] {null, "wrong", ""}) {
            HttpResponse<String> answer = service.upload(key, png, "a.png", "media_id", "m1");
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).isEqualTo("{\"error\":\"Unauthorized\"}");
        }
        assertThat(service.filesLeftInWorkDir()).isEmpty();
        assertThat(service.status("m1").body()).contains("\"status\":\"not_found\"");
    }

    @Test
    void accepts_an_image_with_the_contract_json() throws Exception {
        HttpResponse<String> answer = service.upload(RunningService.KEY, file("a.png", PNG_HEAD), "Photo.PNG",
                "media_id", "img-1");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"accepted\",\"mediaId\":\"img-1\",\"message\":\"Compression started\"}");
    }

    @Test
    void refuses_bad_input_and_leaves_nothing_in_work_dir() throws Exception {
        Path text = file("t.mp4", "hello world, not a video".getBytes());
        Path binary = file("b.png", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Path empty = file("e.png", new byte[0]);
        Path png = file("ok.png", PNG_HEAD);
        assertRefused(service.upload(RunningService.KEY, text, "t.mp4", "media_id", "m1"), "Unsupported file type");
        assertRefused(service.upload(RunningService.KEY, binary, "b.png", "media_id", "m1"), "Unsupported file type");
        assertRefused(service.upload(RunningService.KEY, empty, "e.png", "media_id", "m1"), "Unsupported file type");
        assertRefused(service.upload(RunningService.KEY, png, "ok.txt", "media_id", "m1"), "Unsupported file type");
        assertRefused(service.upload(RunningService.KEY, png, "ok.png", "media_id", "../../etc/passwd"), "Invalid media_id");
        assertRefused(service.upload(RunningService.KEY, png, "ok.png", "media_id", "with space"), "Invalid media_id");
        assertRefused(service.upload(RunningService.KEY, png, "ok.png", "media_id", "x".repeat(300)), "Invalid media_id");
        assertRefused(service.upload(RunningService.KEY, png, "ok.png"), "Missing media_id");
        assertRefused(service.upload(RunningService.KEY, null, null, "media_id", "m1"), "Missing file");
        assertThat(service.filesLeftInWorkDir()).isEmpty();
    }

    @Test
    void refuses_a_duplicate_active_media_id_with_its_current_status() throws Exception {
        service.stopWorkers();
        Path png = file("ok.png", PNG_HEAD);
        assertThat(service.upload(RunningService.KEY, png, "ok.png", "media_id", "dup").statusCode()).isEqualTo(200);
        HttpResponse<String> again = service.upload(RunningService.KEY, png, "ok.png", "media_id", "dup");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("\"mediaId\":\"dup\"", "\"status\":\"queued\"");
        assertThat(service.stagedUploads()).hasSize(1);
    }

    @Test
    void answers_503_with_retry_after_when_the_queue_is_full() throws Exception {
        service.stopWorkers();
        Path png = file("ok.png", PNG_HEAD);
        assertThat(service.upload(RunningService.KEY, png, "ok.png", "media_id", "q1").statusCode()).isEqualTo(200);
        assertThat(service.upload(RunningService.KEY, png, "ok.png", "media_id", "q2").statusCode()).isEqualTo(200);
        HttpResponse<String> full = service.upload(RunningService.KEY, png, "ok.png", "media_id", "q3");
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).contains("30");
        assertThat(service.status("q3").body()).contains("not_found");
        assertThat(service.stagedUploads()).hasSize(2);
    }

    private static void assertRefused(HttpResponse<String> answer, String error) {
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).startsWith("{\"error\":\"" + error + "\"");
    }
}
