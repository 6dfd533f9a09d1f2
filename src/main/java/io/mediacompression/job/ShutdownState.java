package io.mediacompression.job;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance is shutting down (SIGTERM, or the context being stopped). From the first moment of the stop
 * the intake routes refuse new jobs with 503 and readiness is DOWN, while the jobs already running get
 * {@code camel.main.shutdownTimeout} to finish; a job interrupted after that is left as it is, for recovery at the next
 * start, never recorded as failed.
 */
public final class ShutdownState extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownState.class);

    private volatile boolean stopping;

    public ShutdownState() {
        // only the context's own events matter here: stay out of the way of every exchange
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (!stopping) {
            stopping = true;
            LOG.info("Shutting down: new jobs are refused with 503 and readiness is DOWN; running jobs may finish");
        }
    }

    public boolean isStopping() {
        return stopping;
    }
}
