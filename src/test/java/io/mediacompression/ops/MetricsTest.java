package io.mediacompression.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.Fixtures;
import io.mediacompression.support.LmsStandIn;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** /observe/metrics after real jobs: the job counters and histograms, queue depth, retries, Camel's route metrics. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application()
            .with("jobs.workers", "1")
            .withLms("client-confirm.url", "/confirm")
            .with("retry.initial-delay", "10ms")
            .with("retry.max-delay", "20ms");

    @TempDir
    static Path root;

    private RunningService service;
    private LmsStandIn lms;

    @Test
    void counts_jobs_by_kind_and_outcome_with_their_durations_and_bytes() throws Exception {
        assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "photo.jpg", "media_id", "m-image").statusCode())
                .isEqualTo(200);
        Path notAnImage = Files.write(root.resolve("broken.jpg"), brokenJpeg());
        assertThat(service.upload(RunningService.KEY, notAnImage, "broken.jpg", "media_id", "m-broken").statusCode())
                .isEqualTo(200);
        awaitStatus("m-image", "completed");
        awaitStatus("m-broken", "failed");

        String metrics = metrics();
        assertThat(metrics)
                // other tests of this class add image jobs of their own: at least these two
                .containsPattern("media_jobs_accepted_total\\{kind=\"image\"} [2-9]")
                .containsPattern("media_jobs_finished_total\\{kind=\"image\",outcome=\"completed\"} [1-9]")
                .contains("media_jobs_finished_total{kind=\"image\",outcome=\"failed\"} 1.0")
                .containsPattern("media_job_duration_seconds_bucket\\{kind=\"image\",outcome=\"completed\",le=\"5.0\"} [1-9]")
                .containsPattern("media_ffmpeg_duration_seconds_count\\{kind=\"image\",outcome=\"ok\"} [1-9]")
                .contains("media_queue_depth 0.0")
                .containsPattern("media_input_bytes_total\\{kind=\"image\"} [1-9]")
                .containsPattern("media_output_bytes_total\\{kind=\"image\"} [1-9]")
                // every kind and outcome is there from the start, at zero until it happens
                .contains("media_jobs_finished_total{kind=\"video\",outcome=\"db_update_failed\"} 0.0")
                // readiness, the free space of WORK_DIR and the JVM's heap, for the alert rules and the dashboard
                .contains("media_ready 1.0")
                .containsPattern("disk_free_bytes\\{path=\"[^\"]+\"} [1-9]")
                .containsPattern("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} [1-9]")
                // Camel's own route metrics, by route id
                .contains("camel_exchanges_total{camelContext=\"media-compression\",eventType=\"route\",kind=\"CamelRoute\",routeId=\"transcode\"}");
    }

    @Test
    void counts_the_retries_of_the_lms_confirmation() throws Exception {
        lms.answer("/confirm", 500, 503, 200);
        assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "photo.jpg", "media_id", "m-retried").statusCode())
                .isEqualTo(200);
        awaitStatus("m-retried", "completed");
        assertThat(metrics()).contains("media_retries_total{target=\"post-confirmation\"} 2.0");
    }

    @Test
    void counts_retries_by_the_id_of_the_step_that_is_retried() throws Exception {
        service.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:flaky").routeId("flaky")
                        .errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0))
                        .process(exchange -> {
                            throw new IOException("LMS down");
                        }).id("confirm-to-lms");
            }
        });
        try {
            assertThat(service.context().createProducerTemplate().send("direct:flaky", e -> e.getMessage().setBody("x"))
                    .getException()).isInstanceOf(IOException.class);
        } finally {
            service.context().getRouteController().stopRoute("flaky");
            service.context().removeRoute("flaky");
        }
        assertThat(metrics()).contains("media_retries_total{target=\"confirm-to-lms\"} 2.0");
    }

    private String metrics() throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/observe/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    private void awaitStatus(String mediaId, String prefix) throws Exception {
        service.awaitStatus(mediaId, s -> s.path("status").asText().startsWith(prefix), prefix + "...",
                Duration.ofSeconds(60));
    }

    /** JPEG magic bytes followed by noise: accepted at intake, refused by FFmpeg. */
    private static byte[] brokenJpeg() {
        byte[] bytes = new byte[4096];
        new java.util.Random(7).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        bytes[3] = (byte) 0xE0;
        return bytes;
    }
}
