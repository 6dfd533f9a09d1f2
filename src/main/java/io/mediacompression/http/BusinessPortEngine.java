package io.mediacompression.http;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine with the business routes on PORT. Camel's own engine finds its port by asking for the one
 * HTTP server of the context, and falls back to 8080 when there are two (PORT and MANAGEMENT_PORT); this one is told.
 */
public final class BusinessPortEngine extends VertxPlatformHttpEngine {

    private final int port;

    public BusinessPortEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
