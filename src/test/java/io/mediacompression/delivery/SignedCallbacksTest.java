package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.Fixtures;
import io.mediacompression.support.LmsStandIn;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import io.mediacompression.support.StandardWebhooksReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every call to the LMS, retries included, carries Standard Webhooks signatures that the reference library (npm
 * {@code standardwebhooks}, run by node) accepts for each of two rotated secrets, over exactly the bytes that arrived.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignedCallbacksTest {

    private static final String OLD_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "the old secret, 32 bytes long!!!".getBytes());
    private static final String NEW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OTHER_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "a secret the LMS does not share!".getBytes());
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String USER_INFO = "lms-user:p)&%25%20x%7B%7B";
    private static final String BASIC = "Basic " + java.util.Base64.getEncoder().encodeToString(
            "lms-user:p)&% x{{".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    // retries a second apart: each attempt's webhook-timestamp (in seconds) is its own
    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application()
            .with("jobs.workers", "1")
            .withLms()
            // credentials in the URLs, with characters a URL or Camel reads specially: sent as Basic authentication
            .with("client-confirm.url", app -> withUserInfo(app.lms().url("/confirm")))
            .with("lms.store-url", app -> withUserInfo(app.lms().url("/store")))
            .with("webhook.secrets", NEW_SECRET + "," + OLD_SECRET)
            .with("retry.initial-delay", "1s")
            .with("retry.max-delay", "1s");

    private LmsStandIn lms;
    private RunningService service;

    private static String withUserInfo(String url) {
        return url.replace("http://", "http://" + USER_INFO + "@");
    }

    @Test
    void the_confirmation_and_its_retry_verify_with_both_secrets_and_fail_once_a_byte_changes() throws Exception {
        lms.answer("/confirm", 503, 200);
        assertThat(service.upload(RunningService.KEY, Fixtures.jpeg(), "photo.jpg", "media_id", "signed-image")
                .statusCode()).isEqualTo(200);
        List<LmsStandIn.Received> calls = lms.await("/confirm", 2, WAIT);

        assertSignedDelivery(calls, false);
        assertThat(calls.get(0).bodyText()).contains("\"mediaId\":\"signed-image\"");
    }

    @Test
    void the_multipart_store_callback_and_its_retry_are_signed_over_the_whole_body_sent() throws Exception {
        lms.answer("/store", 500, 200);
        assertThat(service.uploadTo("/video/receive", Map.of("X-API-Key", RunningService.KEY), Fixtures.small480p(),
                "clip.mp4", "video_id", "signed-video", "organization_id", "org-7").statusCode()).isEqualTo(200);
        List<LmsStandIn.Received> calls = lms.await("/store", 2, WAIT);

        assertSignedDelivery(calls, true);
        assertThat(calls.get(0).header("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(calls.get(0).body().length).isGreaterThan(10_000);
    }

    private static void assertSignedDelivery(List<LmsStandIn.Received> calls, boolean binary) throws Exception {
        LmsStandIn.Received first = calls.get(0);
        LmsStandIn.Received retry = calls.get(1);
        // one delivery: the LMS can deduplicate on the id; each attempt has its own timestamp and signatures
        assertThat(first.header("webhook-id")).matches("msg_[0-9a-f]{32}").isEqualTo(retry.header("webhook-id"));
        assertThat(Long.parseLong(retry.header("webhook-timestamp")))
                .isGreaterThan(Long.parseLong(first.header("webhook-timestamp")));
        assertThat(first.header("webhook-signature").split(" ")).hasSize(2);
        assertThat(retry.body()).isEqualTo(first.body());

        for (LmsStandIn.Received call : calls) {
            assertThat(call.header("Authorization")).isEqualTo(BASIC);
            for (String secret : List.of(NEW_SECRET, OLD_SECRET)) {
                assertThat(StandardWebhooksReference.verify(secret, call, binary)).isEqualTo("verified");
            }
            assertThat(StandardWebhooksReference.verify(OTHER_SECRET, call, binary))
                    .isEqualTo("rejected: No matching signature found");
            byte[] changed = call.body().clone();
            changed[changed.length / 2] ^= 1;
            LmsStandIn.Received tampered = new LmsStandIn.Received(call.method(), call.path(), call.headers(), changed,
                    call.at());
            assertThat(StandardWebhooksReference.verify(NEW_SECRET, tampered, binary))
                    .isEqualTo("rejected: No matching signature found");
        }
    }
}
