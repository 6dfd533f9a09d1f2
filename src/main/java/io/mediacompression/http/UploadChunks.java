package io.mediacompression.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The Vert.x instance the HTTP server runs on, with request bodies handed on in larger pieces.
 *
 * <p>Vert.x copies every piece of a request body Netty decodes into a new buffer and dispatches it on the event loop;
 * by default a piece is at most 8 KB, so a 480 MB upload costs 60,000 copies and dispatches. Netty reads a socket in
 * pieces of up to 64 KB, and with {@code maxChunkSize} at that size each read becomes one piece. Camel 4.17's
 * platform-http server builds its {@link HttpServerOptions} itself, with defaults, but it runs on the Vert.x instance it
 * finds in the registry: this one, a proxy that sets {@code maxChunkSize} on the options of every HTTP server it
 * creates and passes every other call to a real Vert.x instance unchanged. It stands for the public {@link Vertx}
 * interface only: Camel looks the instance up by that type, and what casts to Vert.x internals (session stores,
 * SockJS) is not used here; the servers, contexts and event loops it makes belong to the real instance.
 */
public final class UploadChunks implements InvocationHandler {

    /** The largest piece Netty reads from a socket at a time. */
    public static final int MAX_CHUNK_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final int maxChunkBytes;
    private final ApiTransport transport;

    private UploadChunks(Vertx vertx, int maxChunkBytes, ApiTransport transport) {
        this.vertx = vertx;
        this.maxChunkBytes = maxChunkBytes;
        this.transport = transport;
    }

    /** A new Vert.x instance whose HTTP servers hand request bodies on in pieces of up to {@code maxChunkBytes}. */
    public static Vertx vertx(VertxOptions options, int maxChunkBytes) {
        return vertx(options, maxChunkBytes, null);
    }

    /**
     * The same, and the server that listens on the API port is also set up by {@code transport} (TLS, header timeout,
     * connection cap). Camel gives the port only when it calls {@code listen}, so each server is made then.
     */
    public static Vertx vertx(VertxOptions options, int maxChunkBytes, ApiTransport transport) {
        return (Vertx) Proxy.newProxyInstance(UploadChunks.class.getClassLoader(), new Class<?>[] {Vertx.class},
                new UploadChunks(Vertx.vertx(options), maxChunkBytes, transport));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        // the proxy is equal to itself only, as the instance it stands for is
        if (method.getName().equals("equals") && method.getParameterCount() == 1) {
            return proxy == args[0];
        }
        if (method.getName().equals("hashCode") && method.getParameterCount() == 0) {
            return System.identityHashCode(proxy);
        }
        Object[] actual = args;
        if (method.getName().equals("createHttpServer") && args != null && args.length == 1
                && args[0] instanceof HttpServerOptions options) {
            actual = new Object[] {new HttpServerOptions(options).setMaxChunkSize(maxChunkBytes)};
            if (transport != null) {
                return ServerOnListen.create(vertx, (HttpServerOptions) actual[0], transport);
            }
        }
        try {
            return method.invoke(vertx, actual);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
