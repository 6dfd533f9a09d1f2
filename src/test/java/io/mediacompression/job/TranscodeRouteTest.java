package io.mediacompression.job;

import static io.mediacompression.support.ReplaceExecSteps.exitedWith;
import static io.mediacompression.support.RouteJobs.runToTheEnd;
import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.ServiceConfiguration;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.ReplaceExecSteps;
import io.mediacompression.support.RouteJobs;
import io.mediacompression.support.RouteTestSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The `transcode` route with the real route files and configuration, its `ffprobe` and `ffmpeg` steps replaced by id:
 * which steps a job goes through, and which `failed: <reason>` an exec failure ends in. No SFTP_HOST: results go to
 * OUTPUT_DIR. One context for the class; every test uses its own media id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@CamelMainTest(
        configurationClasses = {RouteTestSetup.class, ServiceConfiguration.class},
        propertyPlaceholderLocations = "file:application.properties",
        properties = "camel.server.port=0",
        advices = @AdviceRouteMapping(route = "transcode", advice = ReplaceExecSteps.class))
class TranscodeRouteTest {

    @BeanInject
    CamelContext context;

    @EndpointInject(ReplaceExecSteps.FFPROBE)
    MockEndpoint ffprobe;

    @EndpointInject(ReplaceExecSteps.FFMPEG)
    MockEndpoint ffmpeg;

    @BeforeEach
    void goodMedia() {
        MockEndpoint.resetMocks(context);
        ffprobe.whenAnyExchangeReceived(ReplaceExecSteps::probeAnswer);
        ffmpeg.whenAnyExchangeReceived(ReplaceExecSteps::writeOutput);
    }

    @Test
    void probes_compresses_and_delivers_a_video_to_the_output_dir() throws Exception {
        ffprobe.expectedMessageCount(1);
        ffmpeg.expectedMessageCount(1);
        Job job = RouteJobs.video(context, "v-ok");

        assertThat(runToTheEnd(context, job)).isEqualTo("completed");
        MockEndpoint.assertIsSatisfied(context);
        Path delivered = Path.of(RouteJobs.job(context, "v-ok").filePath());
        assertThat(delivered).hasContent("compressed");
        assertThat(delivered.getParent()).isEqualTo(RouteJobs.outputDir(context).resolve("videos"));
        assertThat(Path.of(job.stagedFile()).getParent()).as("the job's work directory").doesNotExist();
    }

    @Test
    void an_mp4_with_h264_and_aac_is_planned_from_its_own_header_without_ffprobe() throws Exception {
        ffprobe.expectedMessageCount(0);
        ffmpeg.expectedMessageCount(1);

        assertThat(runToTheEnd(context, RouteJobs.video(context, "v-header", Fixtures.landscape1080p())))
                .isEqualTo("completed");
        MockEndpoint.assertIsSatisfied(context);
        // planned from the header: 1080p is scaled into the 720p box, the tone copied as its one audio stream
        assertThat(ffmpeg.getExchanges().get(0).getIn().getHeader(ExecBinding.EXEC_COMMAND_ARGS, List.class))
                .containsSubsequence("-map", "0:0", "-map", "0:1")
                .contains("scale=1280:720:flags=bicubic,setsar=1,format=yuv420p");
    }

    @Test
    void an_image_is_compressed_without_ffprobe() throws Exception {
        ffprobe.expectedMessageCount(0);
        ffmpeg.expectedMessageCount(1);

        assertThat(runToTheEnd(context, RouteJobs.image(context, "i-ok"))).isEqualTo("completed");
        MockEndpoint.assertIsSatisfied(context);
        assertThat(Path.of(RouteJobs.job(context, "i-ok").filePath()).getParent())
                .isEqualTo(RouteJobs.outputDir(context).resolve("images"));
    }

    @Test
    void ffmpeg_exiting_with_an_error_fails_the_job_as_undecodable() {
        ffmpeg.whenAnyExchangeReceived(exchange -> {
            throw exitedWith(1, "Invalid data found when processing input");
        });

        assertThat(runToTheEnd(context, RouteJobs.video(context, "v-broken")))
                .isEqualTo("failed: the file could not be decoded");
    }

    @Test
    void ffmpeg_killed_by_its_timeout_fails_the_job_as_timed_out() {
        ffmpeg.whenAnyExchangeReceived(exchange -> {
            throw exitedWith(143, "");
        });

        assertThat(runToTheEnd(context, RouteJobs.video(context, "v-slow"))).isEqualTo("failed: compression timed out");
    }

    @Test
    void a_full_disk_fails_the_job_with_its_own_reason() {
        ffmpeg.whenAnyExchangeReceived(exchange -> {
            throw exitedWith(1, "Error writing trailer: No space left on device");
        });

        assertThat(runToTheEnd(context, RouteJobs.video(context, "v-disk"))).isEqualTo("failed: not enough disk space");
    }

    @Test
    void ffprobe_failing_fails_the_job_as_unreadable_and_ffmpeg_never_runs() throws Exception {
        ffprobe.whenAnyExchangeReceived(exchange -> {
            throw exitedWith(1, "moov atom not found");
        });
        ffmpeg.expectedMessageCount(0);

        assertThat(runToTheEnd(context, RouteJobs.video(context, "v-unreadable")))
                .isEqualTo("failed: the file could not be read as media");
        ffmpeg.assertIsSatisfied();
    }

    @Test
    void ffmpeg_leaving_no_output_fails_the_job_delivers_nothing_and_empties_its_directory() throws Exception {
        ffmpeg.whenAnyExchangeReceived(exchange -> { });
        Job job = RouteJobs.video(context, "v-empty");

        assertThat(runToTheEnd(context, job)).isEqualTo("failed: compression produced no output");
        assertThat(Path.of(job.stagedFile()).getParent()).doesNotExist();
        Path videos = RouteJobs.outputDir(context).resolve("videos");
        if (Files.isDirectory(videos)) {
            try (var delivered = Files.list(videos)) {
                assertThat(delivered).noneMatch(p -> p.getFileName().toString().startsWith(job.jobId()));
            }
        }
    }

}
