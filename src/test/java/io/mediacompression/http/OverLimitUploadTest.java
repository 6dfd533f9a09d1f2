package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.RawUpload;
import io.mediacompression.support.RawUpload.Outcome;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Uploads over the contract's limits (image 20 MB, video 500 MB, the defaults) are cut off while they are read:
 * the client gets the 400 long before it has sent what it meant to send, and nothing stays in WORK_DIR.
 */
class OverLimitUploadTest {

    private static final long MB = 1024 * 1024;
    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};
    private static final byte[] MP4_HEAD = {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    // What the loopback socket buffers (both ends) and the server's read-ahead may hold beyond what was judged.
    private static final long IN_FLIGHT = 16 * MB;

    // one service a test, each checks what is staged in its WORK_DIR; accepted uploads stay staged there
    @RegisterExtension
    final ServiceExtension app = ServiceExtension.application().withWorkersStopped();

    private RunningService service;

    private RawUpload upload(String mediaId, String filename, byte[] signature) {
        return new RawUpload(service.port(), RunningService.KEY, mediaId, filename, signature);
    }

    @Test
    void cuts_off_a_streamed_image_just_past_20_mb_and_closes_the_connection() throws Exception {
        Outcome outcome = upload("big-image", "huge.png", PNG_HEAD).chunked(200 * MB);

        assertTooLarge(outcome);
        assertThat(outcome.bytesSentWhenAnswered()).isBetween(20 * MB, 20 * MB + IN_FLIGHT);
        assertThat(outcome.serverClosedConnection()).isTrue();
        assertThat(outcome.bytesSentInTotal()).isLessThan(20 * MB + IN_FLIGHT);
        assertThat(service.filesLeftInWorkDir()).isEmpty();
        assertThat(service.statusOf("big-image")).isEqualTo("not_found");
    }

    @Test
    void cuts_off_a_streamed_video_just_past_500_mb_and_closes_the_connection() throws Exception {
        Outcome outcome = upload("big-video", "huge.mp4", MP4_HEAD).chunked(2048 * MB);

        assertTooLarge(outcome);
        assertThat(outcome.bytesSentWhenAnswered()).isBetween(500 * MB, 500 * MB + IN_FLIGHT);
        assertThat(outcome.serverClosedConnection()).isTrue();
        assertThat(outcome.bytesSentInTotal()).isLessThan(500 * MB + IN_FLIGHT);
        assertThat(service.filesLeftInWorkDir()).isEmpty();
        assertThat(service.statusOf("big-video")).isEqualTo("not_found");
    }

    @Test
    void refuses_a_declared_length_over_the_largest_limit_before_reading_the_body() throws Exception {
        Outcome outcome = upload("declared-video", "huge.mp4", MP4_HEAD).withContentLength(600 * MB);

        assertTooLarge(outcome);
        assertThat(outcome.bytesSentWhenAnswered()).isLessThan(IN_FLIGHT);
        assertThat(outcome.serverClosedConnection()).isTrue();
        assertThat(outcome.bytesSentInTotal()).isLessThan(IN_FLIGHT);
        assertThat(service.filesLeftInWorkDir()).isEmpty();
    }

    @Test
    void stores_an_image_of_exactly_20_mb_whole_and_refuses_one_byte_more() throws Exception {
        Outcome atLimit = upload("image-at-limit", "limit.png", PNG_HEAD).withContentLength(20 * MB);
        assertThat(atLimit.status()).isEqualTo(200);
        assertThat(stagedSizes()).containsExactly(20 * MB);

        Outcome overLimit = upload("image-over-limit", "over.png", PNG_HEAD).withContentLength(20 * MB + 1);
        assertTooLarge(overLimit);
        assertThat(stagedSizes()).containsExactly(20 * MB);
        assertThat(service.statusOf("image-at-limit")).isEqualTo("queued");
        assertThat(service.statusOf("image-over-limit")).isEqualTo("not_found");
    }

    private List<Long> stagedSizes() throws Exception {
        return service.stagedUploads().stream().map(f -> f.toFile().length()).toList();
    }

    private static void assertTooLarge(Outcome outcome) {
        assertThat(outcome.status()).isEqualTo(400);
        assertThat(outcome.body()).startsWith("{\"error\":\"File size exceeds limit\"");
    }
}
