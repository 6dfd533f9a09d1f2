package io.mediacompression.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How connections to the API port are taken and kept: HTTPS only (TLS 1.2 or 1.3) when a certificate is configured,
 * client certificates from a CA when one is configured (mutual TLS), certificate files read again when they change on
 * disk, a connection closed when the line and headers of its next request have not all arrived within the header
 * timeout, and at most so many connections open at once. Everything here is Vert.x's own: its server options, its
 * {@code updateSSLOptions} and its timers.
 */
public final class ApiTransport {

    private static final Logger LOG = LoggerFactory.getLogger(ApiTransport.class);
    private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    /** PEM files of the server's certificate chain and key, and optionally of the CAs client certificates chain to. */
    public record Tls(Path certFile, Path keyFile, Optional<Path> clientCaFile) {
    }

    private final int port;
    private final Optional<Tls> tls;
    private final Duration headerTimeout;
    private final int maxConnections;
    private final Duration tlsReloadInterval;
    private final boolean h2c;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, Waiting> connections = new ConcurrentHashMap<>();
    private final Counter refused;
    private final Counter timedOut;
    private volatile byte[][] loaded;

    public ApiTransport(int port, Optional<Tls> tls, Duration headerTimeout, int maxConnections,
                        Duration tlsReloadInterval, boolean h2c, MeterRegistry metrics) {
        this.port = port;
        this.tls = tls;
        this.headerTimeout = headerTimeout;
        this.maxConnections = maxConnections;
        this.tlsReloadInterval = tlsReloadInterval;
        this.h2c = h2c;
        this.refused = Counter.builder("media_http_connections_refused_total")
                .description("Connections to the API port closed at once because HTTP_MAX_CONNECTIONS were open")
                .register(metrics);
        this.timedOut = Counter.builder("media_http_header_timeouts_total")
                .description("Connections closed because a request's line and headers did not arrive within HTTP_HEADER_TIMEOUT")
                .register(metrics);
        Gauge.builder("media_http_connections_open", open, AtomicInteger::get)
                .description("Connections open on the API port").register(metrics);
        tls.ifPresent(files -> loaded = read(files));
    }

    public int port() {
        return port;
    }

    /** The API server's options: Camel's, with TLS when configured. */
    HttpServerOptions options(HttpServerOptions base) {
        HttpServerOptions options = new HttpServerOptions(base)
                // with h2c on, Vert.x makes a plain connection (and calls the connection handler, which counts it and
                // starts its header clock) only once its first request head is in: a half-sent first request would be
                // neither counted nor timed
                .setHttp2ClearTextEnabled(h2c)
                .setSslHandshakeTimeout(headerTimeout.toMillis()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        if (tls.isEmpty()) {
            return options;
        }
        SSLOptions ssl = sslOptions(loaded);
        options.setSsl(true).setKeyCertOptions(ssl.getKeyCertOptions()).setEnabledSecureTransportProtocols(PROTOCOLS);
        if (ssl.getTrustOptions() != null) {
            options.setTrustOptions(ssl.getTrustOptions()).setClientAuth(ClientAuth.REQUIRED);
        }
        return options;
    }

    /** Called with the real server before it listens: connections are counted and timed from here. */
    void serve(Vertx vertx, HttpServer server) {
        server.connectionHandler(connection -> opened(vertx, connection));
        tls.ifPresent(files -> vertx.setPeriodic(tlsReloadInterval.toMillis(),
                id -> vertx.executeBlocking(() -> reloadIfChanged(server, files), false)));
    }

    /** Called with the server's router before it serves: the first route of every request stops its header clock. */
    void route(Vertx vertx, Router router) {
        router.route().order(Integer.MIN_VALUE).handler(routing -> requestArrived(vertx, routing));
    }

    private void opened(Vertx vertx, HttpConnection connection) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refused.increment();
            connection.close();
            return;
        }
        Waiting waiting = new Waiting();
        connections.put(connection, waiting);
        connection.closeHandler(v -> {
            open.decrementAndGet();
            Waiting gone = connections.remove(connection);
            if (gone != null) {
                gone.cancel(vertx);
            }
        });
        waiting.start(vertx, connection);
    }

    private void requestArrived(Vertx vertx, RoutingContext routing) {
        HttpConnection connection = routing.request().connection();
        Waiting waiting = connection == null ? null : connections.get(connection);
        if (waiting != null) {
            waiting.requestStarted(vertx);
            routing.addEndHandler(ended -> waiting.requestEnded(vertx, connection));
        }
        routing.next();
    }

    /** The header clock of one connection: running while no request is in flight on it. */
    private final class Waiting {
        private long timer = -1;
        private int inFlight;

        synchronized void start(Vertx vertx, HttpConnection connection) {
            cancel(vertx);
            timer = vertx.setTimer(headerTimeout.toMillis(), id -> expire(connection, id));
        }

        synchronized void requestStarted(Vertx vertx) {
            inFlight++;
            cancel(vertx);
        }

        synchronized void requestEnded(Vertx vertx, HttpConnection connection) {
            if (--inFlight == 0 && connections.containsKey(connection)) {
                start(vertx, connection);
            }
        }

        synchronized void cancel(Vertx vertx) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        private void expire(HttpConnection connection, long id) {
            synchronized (this) {
                if (timer != id) {
                    return;
                }
                timer = -1;
            }
            timedOut.increment();
            connection.close();
        }
    }

    private Void reloadIfChanged(HttpServer server, Tls files) {
        byte[][] current;
        try {
            current = read(files);
        } catch (RuntimeException e) {
            // a file half written by whoever renews it: keep serving the loaded one, try again next time
            LOG.warn("TLS files could not be read again, still serving the loaded certificate: {}", e.getMessage());
            return null;
        }
        if (Arrays.deepEquals(current, loaded)) {
            return null;
        }
        server.updateSSLOptions(sslOptions(current), true).onComplete(done -> {
            if (done.succeeded()) {
                loaded = current;
                LOG.info("TLS certificate files changed on disk: now serving them");
            } else {
                LOG.warn("TLS files changed on disk but could not be used, still serving the loaded ones: {}",
                        done.cause().getMessage());
            }
        });
        return null;
    }

    private SSLOptions sslOptions(byte[][] files) {
        SSLOptions ssl = new SSLOptions()
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(files[0]))
                        .setKeyValue(Buffer.buffer(files[1])))
                .setEnabledSecureTransportProtocols(PROTOCOLS)
                .setSslHandshakeTimeout(headerTimeout.toMillis()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        if (files[2] != null) {
            // client authentication stays REQUIRED: it is the server's option, not one of these
            ssl.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(files[2])));
        }
        return ssl;
    }

    private static byte[][] read(Tls files) {
        try {
            return new byte[][] {Files.readAllBytes(files.certFile()), Files.readAllBytes(files.keyFile()),
                    files.clientCaFile().isPresent() ? Files.readAllBytes(files.clientCaFile().get()) : null};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
