package io.mediacompression.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * An HTTP server made when it is told to listen, once its port is known: on the API port with {@link ApiTransport}'s
 * options, connection handler and first route, on any other port (MANAGEMENT_PORT) as Camel asked. Camel 4.17's
 * platform-http server only sets the request handler before it listens; every later call goes to the real server, but
 * the request handler read back is the one Camel set.
 */
final class ServerOnListen implements InvocationHandler {

    private final Vertx vertx;
    private final HttpServerOptions options;
    private final ApiTransport transport;
    private Handler<HttpServerRequest> requestHandler;
    private HttpServer server;

    private ServerOnListen(Vertx vertx, HttpServerOptions options, ApiTransport transport) {
        this.vertx = vertx;
        this.options = options;
        this.transport = transport;
    }

    static HttpServer create(Vertx vertx, HttpServerOptions options, ApiTransport transport) {
        return (HttpServer) Proxy.newProxyInstance(ServerOnListen.class.getClassLoader(),
                new Class<?>[] {HttpServer.class}, new ServerOnListen(vertx, options, transport));
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized Object invoke(Object self, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        int arity = args == null ? 0 : args.length;
        if (name.equals("equals") && arity == 1) {
            return self == args[0];
        }
        if (name.equals("hashCode") && arity == 0) {
            return System.identityHashCode(self);
        }
        if (name.equals("requestHandler")) {
            if (arity == 0) {
                return requestHandler;
            }
            requestHandler = (Handler<HttpServerRequest>) args[0];
            if (server != null) {
                server.requestHandler(requestHandler);
            }
            return self;
        }
        if (server == null) {
            if (!name.equals("listen")) {
                throw new IllegalStateException("HttpServer." + name + " before listen is not supported here");
            }
            int port = arity > 0 && args[0] instanceof Integer p ? p : options.getPort();
            boolean api = port == transport.port();
            server = vertx.createHttpServer(api ? transport.options(options) : options);
            if (api) {
                transport.serve(vertx, server);
                if (requestHandler instanceof Router router) {
                    transport.route(vertx, router);
                }
            }
            if (requestHandler != null) {
                server.requestHandler(requestHandler);
            }
        }
        try {
            Object result = method.invoke(server, args);
            return result == server ? self : result;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
