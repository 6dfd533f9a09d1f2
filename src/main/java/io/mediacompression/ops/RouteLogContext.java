package io.mediacompression.ops;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.impl.engine.DefaultUnitOfWorkFactory;
import org.apache.camel.spi.UnitOfWork;

/**
 * Camel's log context (camel.main.useMdcLogging: the route id of each log line, kept up to date at every step) on
 * every route but the few that only answer a read and log nothing of their own. Without it a GET /status, the
 * service's most frequent request, took 2-10 % less service CPU in bench/load (three alternating pairs); a line logged
 * on those routes anyway (an error the http-errors configuration answers) names no route id. ServiceConfiguration
 * makes it the context's.
 */
public final class RouteLogContext extends DefaultUnitOfWorkFactory {

    /** GET /status: its exchange also runs json-answer, which goes without the context with it. */
    public static final Set<String> READ_ONLY_ROUTES = Set.of("status");

    private final Set<String> routesWithout;
    private CamelContext context;
    // platform-http's consumer does not name its route on the exchange: the routes' endpoints tell them apart
    private volatile Set<Endpoint> endpointsWithout;

    public RouteLogContext(Set<String> routesWithout) {
        this.routesWithout = Set.copyOf(routesWithout);
    }

    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        super.afterPropertiesConfigured(camelContext);
        this.context = camelContext;
    }

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        if (withoutContext(exchange)) {
            return new DefaultUnitOfWork(exchange, context.getInflightRepository(), context.isAllowUseOriginalMessage(),
                    context.isUseBreadcrumb());
        }
        return super.createUnitOfWork(exchange);
    }

    private boolean withoutContext(Exchange exchange) {
        String routeId = exchange.getFromRouteId();
        if (routeId != null) {
            return routesWithout.contains(routeId);
        }
        Endpoint from = exchange.getFromEndpoint();
        return from != null && context != null && endpointsWithout().contains(from);
    }

    // the routes' endpoints, kept once the context has started (a route left out by its precondition has none)
    private Set<Endpoint> endpointsWithout() {
        Set<Endpoint> endpoints = endpointsWithout;
        if (endpoints == null) {
            endpoints = routesWithout.stream().map(context::getRoute).filter(Objects::nonNull).map(Route::getEndpoint)
                    .collect(Collectors.toUnmodifiableSet());
            if (context.isStarted()) {
                endpointsWithout = endpoints;
            }
        }
        return endpoints;
    }
}
