package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.PacedFfmpeg;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * FFmpeg runs that never end: stopped by the hard timeout or by the stall watchdog, and the job fails with a short
 * reason. A hung FFmpeg cannot be produced on demand, so a script stands in for it: it reports progress once, then
 * hangs until it is killed.
 */
class WatchdogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String HANGING_FFMPEG = """
            #!/bin/bash
            # reports one second of progress, then hangs until it is terminated
            for ((i = 1; i <= $#; i++)); do
              if [ "${!i}" = "-progress" ]; then j=$((i + 1)); echo "out_time_us=1000000" > "${!j}"; fi
            done
            trap 'exit 143' TERM
            while true; do sleep 0.1; done
            """;

    // the service started by each test with its own settings
    @RegisterExtension
    final ServiceExtension app = ServiceExtension.application().startedByTest();

    @TempDir
    Path root;

    @Test
    void stops_an_ffmpeg_run_that_makes_no_progress() throws Exception {
        JsonNode status = runWithHangingFfmpeg("60s", "1s");
        assertThat(status.path("status").asText()).isEqualTo("failed: compression stalled");
    }

    @Test
    void stops_an_ffmpeg_run_at_the_hard_timeout() throws Exception {
        JsonNode status = runWithHangingFfmpeg("1s", "60s");
        assertThat(status.path("status").asText()).isEqualTo("failed: compression timed out");
    }

    @Test
    void publishes_progress_while_a_video_is_encoded() throws Exception {
        // the real FFmpeg, paced: the encode lasts long enough to be watched on any machine
        RunningService service = app.start("ffmpeg.progress-interval", "100ms", "ffmpeg.path", PacedFfmpeg.in(root));
        assertThat(service.upload(RunningService.KEY, Fixtures.landscape1080p(), "clip.mp4", "media_id", "p1")
                .statusCode()).isEqualTo(200);
        JsonNode midway = await(service, "p1", s -> s.path("progress").asInt(0) > 0 || isFinished(s));
        assertThat(midway.path("status").asText()).isEqualTo("processing");
        assertThat(midway.path("progress").asInt()).isBetween(1, 99);
        assertThat(await(service, "p1", WatchdogTest::isFinished).path("status").asText()).isEqualTo("completed");
    }

    private JsonNode runWithHangingFfmpeg(String timeout, String stallTimeout) throws Exception {
        Path script = root.resolve("hanging-ffmpeg");
        Files.writeString(script, HANGING_FFMPEG);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        RunningService service = app.start("ffmpeg.path", script.toString(),
                "ffmpeg.timeout", timeout,
                "ffmpeg.stall-timeout", stallTimeout,
                "ffmpeg.progress-interval", "100ms");
        assertThat(service.upload(RunningService.KEY, Fixtures.landscape1080p(), "clip.mp4", "media_id", "w1")
                .statusCode()).isEqualTo(200);
        JsonNode status = await(service, "w1", WatchdogTest::isFinished);
        assertThat(service.filesLeftInWorkDir()).isEmpty();
        assertThat(ProcessHandle.current().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains(script.toString()))
                .filter(ProcessHandle::isAlive)).isEmpty();
        return status;
    }

    private static boolean isFinished(JsonNode status) {
        String s = status.path("status").asText();
        return !s.equals("queued") && !s.equals("processing");
    }

    private static JsonNode await(RunningService service, String mediaId, Predicate<JsonNode> condition) throws Exception {
        return service.awaitStatus(mediaId, condition, "the test's condition", Duration.ofSeconds(60));
    }
}
