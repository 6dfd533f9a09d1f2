package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.ServiceConfiguration;
import io.mediacompression.job.Job;
import io.mediacompression.support.RouteJobs;
import io.mediacompression.support.RouteTestSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The `status` route and the `http-errors` policy without HTTP: its `platform-http` consumer is replaced by
 * `direct:status`, so the test sees the answer as the route leaves it for Vert.x (a JSON ByteBuffer from the
 * `json-answer` route, and the status code in a header).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@CamelMainTest(
        configurationClasses = {RouteTestSetup.class, ServiceConfiguration.class},
        propertyPlaceholderLocations = "file:application.properties",
        properties = "camel.server.port=0",
        replaceRouteFromWith = "status=direct:status")
class StatusRouteTest {

    @BeanInject
    CamelContext context;

    @Test
    void answers_a_jobs_status_as_json_in_a_byte_buffer() {
        Job job = RouteJobs.video(context, "status-1");
        RouteJobs.store(context).claim(job);

        Exchange answer = get("status-1", RouteTestSetup.API_KEY);

        assertThat(answer.getMessage().getBody()).isInstanceOf(ByteBuffer.class);
        assertThat(json(answer).path("mediaId").asText()).isEqualTo("status-1");
        assertThat(json(answer).path("status").asText()).isEqualTo("queued");
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
    }

    @Test
    void an_unknown_media_id_is_not_found_with_200() {
        assertThat(json(get("nobody", RouteTestSetup.API_KEY)).path("status").asText()).isEqualTo("not_found");
    }

    @Test
    void a_wrong_key_is_answered_401_with_a_json_error_by_http_errors() {
        Exchange answer = get("status-1", "wrong-key");

        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(answer.getMessage().getBody()).isInstanceOf(ByteBuffer.class);
        assertThat(json(answer).path("error").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void an_invalid_media_id_is_answered_400() {
        Exchange answer = get("not a valid id!", RouteTestSetup.API_KEY);

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        assertThat(json(answer).path("error").asText()).isNotEmpty();
    }

    // the service's own context: its status exchanges go without Camel's per-step log context, other routes keep it
    @Test
    void a_status_exchange_goes_without_the_per_step_log_context() {
        UnitOfWorkFactory factory = PluginHelper.getUnitOfWorkFactory(context);
        assertThat(factory.createUnitOfWork(arrivedAt("status")).isBeforeAfterProcess()).isFalse();
        assertThat(factory.createUnitOfWork(arrivedAt("transcode")).isBeforeAfterProcess()).isTrue();
    }

    private Exchange arrivedAt(String routeId) {
        Endpoint endpoint = context.getRoute(routeId).getEndpoint();
        Exchange exchange = endpoint.createExchange();
        exchange.getExchangeExtension().setFromEndpoint(endpoint);
        return exchange;
    }

    private Exchange get(String mediaId, String apiKey) {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            return template.request("direct:status", exchange -> exchange.getMessage().getHeaders()
                    .putAll(Map.of("mediaId", mediaId, "X-API-Key", apiKey)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(Exchange answer) {
        ByteBuffer body = answer.getMessage().getBody(ByteBuffer.class).duplicate();
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        try {
            return new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
