package io.mediacompression.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * JSON bodies for the errors the HTTP server answers itself, before any route runs: 404 for a path no route serves, 405
 * for a method its route does not take, 413 for a buffered body (a form, a GET's) over {@code camel.server.maxBodySize}.
 * Vert.x would answer them in HTML or plain text.
 *
 * <p>Installed on the server's main router once the context has started: the router that platform-http puts in the
 * registry is a sub-router, and Vert.x answers a path no sub-router takes from the main one.
 */
public final class RouterErrors implements ExtendedStartupListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Integer, String> bodies;

    public RouterErrors(long maxBodyBytes) {
        this.bodies = Map.of(
                404, json(new ApiException.ErrorBody("Not found", null)),
                405, json(new ApiException.ErrorBody("Method not allowed", null)),
                413, json(new ApiException.ErrorBody("Request body too large",
                        "This endpoint takes a body of at most " + maxBodyBytes + " bytes")));
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the HTTP server is started with the context's services; its routes are all in place once it is fully started
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        for (VertxPlatformHttpServer server : context.hasServices(VertxPlatformHttpServer.class)) {
            if (server.getServer() != null && server.getServer().requestHandler() instanceof Router router) {
                bodies.forEach((status, body) -> router.errorHandler(status, routing -> answer(routing, status, body)));
            }
        }
    }

    private static void answer(RoutingContext routing, int status, String body) {
        HttpServerResponse response = routing.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }

    private static String json(ApiException.ErrorBody body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
