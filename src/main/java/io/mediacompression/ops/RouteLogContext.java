package io.mediacompression.ops;

import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.impl.engine.DefaultUnitOfWorkFactory;
import org.apache.camel.spi.UnitOfWork;

/**
 * Camel's log context (camel.main.useMdcLogging: the route id of each log line, kept up to date at every step) on
 * every route but the few that only answer a read and log nothing of their own. Keeping it current costs a fifth of
 * the CPU of a GET /status in bench/load, the service's most frequent request; a line logged on those routes anyway
 * (an error the http-errors configuration answers) names no route id. ServiceConfiguration makes it the context's.
 */
public final class RouteLogContext extends DefaultUnitOfWorkFactory {

    /** GET /status: its exchange also runs json-answer, which goes without the context with it. */
    public static final Set<String> READ_ONLY_ROUTES = Set.of("status");

    private final Set<String> withoutContext;
    private CamelContext context;

    public RouteLogContext(Set<String> withoutContext) {
        this.withoutContext = Set.copyOf(withoutContext);
    }

    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        super.afterPropertiesConfigured(camelContext);
        this.context = camelContext;
    }

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        if (withoutContext.contains(exchange.getFromRouteId())) {
            return new DefaultUnitOfWork(exchange, context.getInflightRepository(), context.isAllowUseOriginalMessage(),
                    context.isUseBreadcrumb());
        }
        return super.createUnitOfWork(exchange);
    }
}
