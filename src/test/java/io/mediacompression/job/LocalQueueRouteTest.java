package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mediacompression.ServiceConfiguration;
import io.mediacompression.http.Admission;
import io.mediacompression.http.ApiException;
import io.mediacompression.support.RouteJobs;
import io.mediacompression.support.RouteTestSetup;
import java.nio.ByteBuffer;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JOB_QUEUE=local: the `jobQueue` bean sees the seda queue the `queue-job` route fills and `transcode` reads (its depth
 * is the media_queue_depth metric, its fullness turns uploads away before they are read). The workers are stopped so
 * that the jobs stay queued.
 */
@CamelMainTest(
        configurationClasses = {RouteTestSetup.class, ServiceConfiguration.class},
        propertyPlaceholderLocations = "file:application.properties",
        properties = {"camel.server.port=0", "jobs.queue-size=2"})
class LocalQueueRouteTest {

    @BeanInject
    CamelContext context;

    @BeanInject
    JobQueue jobQueue;

    @BeforeEach
    void stopWorkers() throws Exception {
        context.getRouteController().stopRoute("transcode");
    }

    // the jobs left queued would hold up the context's shutdown for its grace period
    @AfterEach
    void dropQueuedJobs() {
        context.getComponent("seda", SedaComponent.class).getQueueReference(LocalJobQueue.SEDA_KEY).getQueue().clear();
    }

    @Test
    void counts_the_jobs_waiting_for_a_worker() {
        assertThat(jobQueue.waiting()).isZero();

        RouteJobs.queue(context, RouteJobs.video(context, "wait-1"));

        assertThat(jobQueue.waiting()).isEqualTo(1);
        assertThat(jobQueue.full()).isFalse();
        assertThat(jobQueue.oldestWaiting()).isPositive();
    }

    @Test
    void a_full_queue_refuses_the_next_job_and_turns_uploads_away_before_they_are_read() {
        RouteJobs.queue(context, RouteJobs.video(context, "full-1"));
        RouteJobs.queue(context, RouteJobs.video(context, "full-2"));

        assertThat(jobQueue.full()).isTrue();
        assertThatThrownBy(() -> RouteJobs.queue(context, RouteJobs.video(context, "full-3")))
                .isInstanceOf(CamelExecutionException.class).hasRootCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> context.getRegistry().lookupByNameAndType("admission", Admission.class).check(0L))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void an_upload_that_finds_the_queue_full_is_answered_503_and_its_intake_route_goes_no_further() throws Exception {
        // the end of compress and video-receive, as they call it
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:intake").routeId("intake-stand-in")
                        .to("direct:enqueue-upload")
                        .setBody(constant("accepted"));
            }
        });
        RouteJobs.queue(context, RouteJobs.video(context, "race-1"));
        RouteJobs.queue(context, RouteJobs.video(context, "race-2"));
        Job third = RouteJobs.video(context, "race-3");

        Exchange answer;
        try (ProducerTemplate template = context.createProducerTemplate()) {
            answer = template.request("direct:intake", exchange -> exchange.getMessage().setBody(third));
        }

        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(answer.getMessage().getHeader("Retry-After", String.class)).isEqualTo("30");
        assertThat(answer.getMessage().getBody()).isInstanceOf(ByteBuffer.class);
        assertThat(answer.getMessage().getBody(String.class)).contains("The work queue is full");
        assertThat(jobQueue.waiting()).isEqualTo(2);
    }
}
