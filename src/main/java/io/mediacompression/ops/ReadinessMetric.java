package io.mediacompression.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code media_ready}: 1 while {@code /observe/health/ready} answers UP, 0 while it is DOWN, read from the same
 * readiness checks at each scrape, so that alerts and dashboards see readiness without probing the endpoint.
 */
public final class ReadinessMetric implements MeterBinder {

    private final CamelContext context;

    public ReadinessMetric(CamelContext context) {
        this.context = context;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("media.ready", this, ReadinessMetric::ready)
                .description("1 while this instance's readiness is UP, 0 while it is DOWN")
                // nothing else holds this binder: a weak reference would read NaN after the next GC
                .strongReference(true)
                .register(registry);
    }

    private double ready() {
        if (!context.isStarted()) {
            return 0;
        }
        return HealthCheckHelper.invokeReadiness(context).stream()
                .allMatch(result -> result.getState() == HealthCheck.State.UP) ? 1 : 0;
    }
}
