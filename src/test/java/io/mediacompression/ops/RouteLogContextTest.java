package io.mediacompression.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** What a log line on each route would carry: Camel's log context kept up for the exchange, except on exempt routes. */
class RouteLogContextTest {

    @Test
    void a_read_only_route_goes_without_the_route_log_context_and_every_other_route_keeps_it() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.setUseMDCLogging(true);
            // as Camel Main does with the factory it finds in the registry
            context.getCamelContextExtension().addContextPlugin(UnitOfWorkFactory.class,
                    new RouteLogContext(Set.of("status")));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // consumers of their own, as platform-http and seda are: the exchange knows its route from the start
                    from("timer:status?repeatCount=1&delay=-1").routeId("status").to("direct:answer");
                    from("timer:transcode?repeatCount=1&delay=-1").routeId("transcode").to("direct:answer");
                    // the route id may be on a Camel thread from its start (Camel copies the log context into the
                    // threads it makes); the exchange id is set only by the context kept up for an exchange
                    from("direct:answer").routeId("answer").process(exchange -> seen.put(exchange.getFromRouteId(),
                            MDC.get("camel.routeId") + " " + (exchange.getExchangeId().equals(MDC.get("camel.exchangeId"))
                                    ? "exchange" : MDC.get("camel.exchangeId"))));
                }
            });
            context.start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        }
        assertThat(seen.get("transcode")).isEqualTo("answer exchange");
        assertThat(seen.get("status")).endsWith(" null");
    }

    // platform-http's consumer leaves the exchange's route id unset: the exchange still comes from the route's endpoint
    @Test
    void an_exchange_that_names_no_route_is_known_by_the_endpoint_it_came_from() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.setUseMDCLogging(true);
            RouteLogContext factory = new RouteLogContext(Set.of("status"));
            context.getCamelContextExtension().addContextPlugin(UnitOfWorkFactory.class, factory);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:status").routeId("status").log("status");
                    from("direct:transcode").routeId("transcode").log("transcode");
                }
            });
            context.start();
            assertThat(factory.createUnitOfWork(arrivedAt(context, "direct:status")).isBeforeAfterProcess())
                    .as("log context kept at every step").isFalse();
            assertThat(factory.createUnitOfWork(arrivedAt(context, "direct:transcode")).isBeforeAfterProcess())
                    .as("log context kept at every step").isTrue();
        }
    }

    private static Exchange arrivedAt(DefaultCamelContext context, String uri) {
        Endpoint endpoint = context.getEndpoint(uri);
        Exchange exchange = endpoint.createExchange();
        exchange.getExchangeExtension().setFromEndpoint(endpoint);
        return exchange;
    }
}
