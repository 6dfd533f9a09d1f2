package io.mediacompression.delivery;

import static io.mediacompression.support.RouteJobs.runToTheEnd;
import static org.assertj.core.api.Assertions.assertThat;

import com.jcraft.jsch.JSchChangedHostKeyException;
import io.mediacompression.ServiceConfiguration;
import io.mediacompression.job.Job;
import io.mediacompression.support.ReplaceExecSteps;
import io.mediacompression.support.RouteJobs;
import io.mediacompression.support.RouteTestSetup;
import java.lang.reflect.Constructor;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The delivery routes (`deliver`, `upload-to-sftp`, `confirm-delivery`, `store-callback`) and their retry policies in
 * routes/errors/, with the real route files and configuration: SFTP_HOST, CLIENT_CONFIRM_API and LMS_STORE_URL are
 * set, but the steps that would reach them (`sftp-upload`, `post-confirmation`, `post-to-lms-store`) and FFmpeg are
 * replaced by id. Three attempts in all, 10 ms apart at first: a retry test takes milliseconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@CamelMainTest(
        configurationClasses = {RouteTestSetup.class, ServiceConfiguration.class},
        propertyPlaceholderLocations = "file:application.properties",
        properties = {"camel.server.port=0",
                "sftp.host=sftp.invalid", "sftp.user=media", "sftp.password=secret",
                "sftp.strict-host-key-checking=no",
                "client-confirm.url=http://lms.invalid/confirm",
                "lms.store-url=http://lms.invalid/store",
                "retry.max-attempts=3", "retry.initial-delay=10ms", "retry.max-delay=40ms"},
        advices = {
                @AdviceRouteMapping(route = "transcode", advice = ReplaceExecSteps.class),
                @AdviceRouteMapping(route = "upload-to-sftp", advice = DeliveryRoutesTest.ReplaceSftpUpload.class),
                @AdviceRouteMapping(route = "confirm-delivery",
                        advice = DeliveryRoutesTest.ReplaceConfirmationPost.class),
                @AdviceRouteMapping(route = "store-callback", advice = DeliveryRoutesTest.ReplaceStorePost.class)})
class DeliveryRoutesTest {

    @BeanInject
    CamelContext context;

    @EndpointInject("mock:sftp")
    MockEndpoint sftp;

    @EndpointInject("mock:lms-confirm")
    MockEndpoint confirm;

    @EndpointInject("mock:lms-store")
    MockEndpoint store;

    public static final class ReplaceSftpUpload extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("sftp-upload").replace().to("mock:sftp");
        }
    }

    public static final class ReplaceConfirmationPost extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("post-confirmation").replace().to("mock:lms-confirm");
        }
    }

    public static final class ReplaceStorePost extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("post-to-lms-store").replace().to("mock:lms-store");
        }
    }

    @BeforeEach
    void goodMediaAndNeighbours() {
        MockEndpoint.resetMocks(context);
        context.getEndpoint(ReplaceExecSteps.FFPROBE, MockEndpoint.class)
                .whenAnyExchangeReceived(ReplaceExecSteps::probeAnswer);
        context.getEndpoint(ReplaceExecSteps.FFMPEG, MockEndpoint.class)
                .whenAnyExchangeReceived(ReplaceExecSteps::writeOutput);
    }

    @Test
    void uploads_to_sftp_under_the_remote_name_then_tells_the_lms_and_completes() throws Exception {
        sftp.expectedMessageCount(1);
        confirm.expectedMessageCount(1);
        store.expectedMessageCount(0);

        assertThat(runToTheEnd(context, RouteJobs.video(context, "sftp-ok"))).isEqualTo("completed");
        MockEndpoint.assertIsSatisfied(context);
        String filePath = RouteJobs.job(context, "sftp-ok").filePath();
        assertThat(filePath).matches("/public_html/videos/[0-9a-f-]{36}\\.mp4");
        assertThat(sftp.getExchanges().get(0).getMessage().getHeader(Exchange.FILE_NAME)).isEqualTo(filePath);
        assertThat(confirm.getExchanges().get(0).getMessage().getBody(String.class))
                .isEqualTo("{\"mediaId\":\"sftp-ok\",\"filePath\":\"" + filePath + "\"}");
    }

    @Test
    void an_sftp_upload_that_fails_once_is_retried_and_delivered() throws Exception {
        sftp.whenExchangeReceived(1, exchange -> {
            throw new GenericFileOperationFailedException("Connection reset");
        });
        sftp.expectedMessageCount(2);

        assertThat(runToTheEnd(context, RouteJobs.video(context, "sftp-flaky"))).isEqualTo("completed");
        sftp.assertIsSatisfied();
    }

    @Test
    void an_sftp_upload_that_keeps_failing_is_tried_retry_max_attempts_times_then_fails_the_job() throws Exception {
        fails(sftp, new GenericFileOperationFailedException("Connection refused"));
        confirm.expectedMessageCount(0);

        assertThat(runToTheEnd(context, RouteJobs.video(context, "sftp-down")))
                .isEqualTo("failed: upload to client storage failed");
        assertThat(sftp.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0,
                Integer.class)).containsExactly(0, 1, 2);
        confirm.assertIsSatisfied();
    }

    @Test
    void a_host_key_that_does_not_match_is_not_retried() throws Exception {
        fails(sftp, new GenericFileOperationFailedException("Cannot connect", hostKeyChanged()));
        sftp.expectedMessageCount(1);

        assertThat(runToTheEnd(context, RouteJobs.video(context, "sftp-impostor")))
                .isEqualTo("failed: client storage host key not trusted");
        sftp.assertIsSatisfied();
    }

    @Test
    void a_confirmation_the_lms_keeps_refusing_ends_as_db_update_failed_and_keeps_the_file_path() throws Exception {
        fails(confirm, lmsAnswered(503));
        confirm.expectedMessageCount(3);

        assertThat(runToTheEnd(context, RouteJobs.video(context, "lms-busy"))).isEqualTo("db_update_failed");
        confirm.assertIsSatisfied();
        assertThat(RouteJobs.job(context, "lms-busy").filePath()).startsWith("/public_html/videos/");
    }

    @Test
    void a_handshake_job_is_posted_to_the_lms_store_and_awaits_confirmation() throws Exception {
        store.expectedMessageCount(1);
        sftp.expectedMessageCount(0);
        confirm.expectedMessageCount(0);

        assertThat(runToTheEnd(context, RouteJobs.storeVideo(context, "store-ok")))
                .isEqualTo("awaiting_confirmation");
        MockEndpoint.assertIsSatisfied(context);
        assertThat(store.getExchanges().get(0).getMessage().getHeaders()).as("no upload header goes to the LMS")
                .doesNotContainKey("X-API-Key");
    }

    @Test
    void a_store_post_answered_503_is_retried_then_fails_the_job_with_the_status() throws Exception {
        fails(store, lmsAnswered(503));
        store.expectedMessageCount(3);

        assertThat(runToTheEnd(context, RouteJobs.storeVideo(context, "store-busy")))
                .isEqualTo("failed: the LMS store answered HTTP 503");
        store.assertIsSatisfied();
    }

    @Test
    void an_unexpected_error_in_the_store_post_is_not_retried() throws Exception {
        fails(store, new IllegalStateException("bug"));
        store.expectedMessageCount(1);

        assertThat(runToTheEnd(context, RouteJobs.storeVideo(context, "store-bug")))
                .isEqualTo("failed: internal error");
        store.assertIsSatisfied();
    }

    // every exchange the step receives fails with this exception
    private static void fails(MockEndpoint step, Exception failure) {
        step.whenAnyExchangeReceived(exchange -> {
            throw failure;
        });
    }

    // what camel-http throws for an answer outside the accepted status codes
    private static HttpOperationFailedException lmsAnswered(int status) {
        return new HttpOperationFailedException("http://lms.invalid/", status, "Service Unavailable", null, Map.of(),
                "busy");
    }

    // what JSch throws when the server's key differs from the known one; its constructors are not public
    private static Exception hostKeyChanged() throws Exception {
        Constructor<JSchChangedHostKeyException> constructor =
                JSchChangedHostKeyException.class.getDeclaredConstructor(String.class);
        constructor.setAccessible(true);
        return constructor.newInstance("HostKey has been changed");
    }
}
