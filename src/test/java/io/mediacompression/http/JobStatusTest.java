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

/** `GET /status/{media_id}` follows a job through its states. */
class JobStatusTest {

    /** Every status of the contract that comes after `queued`. */
    static final String LATER_STATUS = "processing|completed|db_update_failed|failed: .+";

    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application();

    @TempDir
    Path root;

    private RunningService service;

    @Test
    void answers_not_found_with_200_for_an_unknown_media_id() throws Exception {
        HttpResponse<String> answer = service.status("never-uploaded");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"mediaId\":\"never-uploaded\",\"status\":\"not_found\"}");
    }

    @Test
    void shows_queued_while_no_worker_runs_then_moves_on_once_a_worker_takes_the_job() throws Exception {
        service.stopWorkers();
        Path png = Files.write(root.resolve("a.png"), PNG_HEAD);
        assertThat(service.upload(RunningService.KEY, png, "a.png", "media_id", "s1").statusCode()).isEqualTo(200);
        assertThat(service.statusOf("s1")).isEqualTo("queued");

        service.startWorkers();
        assertThat(service.awaitStatusOtherThan("s1", "queued")).matches(LATER_STATUS);
    }
}
