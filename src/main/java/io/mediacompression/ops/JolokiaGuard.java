package io.mediacompression.ops;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BasicAuthHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationConfigEntry;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainHttpServerFactory;

/**
 * Basic authentication in front of {@code /observe/jolokia}: Jolokia can read and change everything JMX shows, so it
 * never answers an anonymous caller. The credentials come from the environment (JOLOKIA_USER, JOLOKIA_PASSWORD), are
 * kept only as a SHA-256 digest and compared in constant time; no password file is written.
 *
 * <p>It is the embedded HTTP server factory of Camel Main, wrapped: the guard is in each server's authentication
 * configuration before the server is built, so there is no moment in which Jolokia answers without it. With Jolokia
 * off ({@code camel.management.jolokiaEnabled=false}, the default) the servers are built as Camel builds them.
 */
public final class JolokiaGuard implements MainHttpServerFactory, CamelContextAware, AuthenticationProvider {

    private static final String REALM = "media-compression";

    private final DefaultMainHttpServerFactory servers = new DefaultMainHttpServerFactory();
    private volatile byte[] expected;

    @Override
    public Service newHttpServer(CamelContext context, HttpServerConfigurationProperties configuration) {
        Service server = servers.newHttpServer(context, configuration);
        guard(context, ((MainHttpServer) server).getConfiguration().getAuthenticationConfig());
        return server;
    }

    @Override
    public Service newHttpManagementServer(CamelContext context, HttpManagementServerConfigurationProperties configuration) {
        // used when the management port differs from PORT; on the same port the server above serves Jolokia
        Service server = servers.newHttpManagementServer(context, configuration);
        guard(context, ((ManagementHttpServer) server).getConfiguration().getAuthenticationConfig());
        return server;
    }

    private void guard(CamelContext context, AuthenticationConfig config) {
        if (!Boolean.parseBoolean(property(context, "camel.management.jolokiaEnabled"))) {
            return;
        }
        String user = property(context, "jolokia.user");
        String password = property(context, "jolokia.password");
        if (user.isEmpty() || password.isEmpty()) {
            throw new IllegalStateException("JOLOKIA_ENABLED is true but JOLOKIA_USER or JOLOKIA_PASSWORD is not set:"
                    + " Jolokia is never open without credentials");
        }
        expected = digest(user + ":" + password);
        String path = context.getPropertiesComponent().resolveProperty("camel.management.jolokiaPath").orElse("/observe/jolokia");
        AuthenticationConfigEntry entry = new AuthenticationConfigEntry();
        entry.setPath(path + "/*");
        entry.setAuthenticationProviderFactory(vertx -> this);
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                return BasicAuthHandler.create(provider, REALM);
            }
        });
        config.getEntries().add(entry);
        config.setEnabled(true);
    }

    @Override
    public void authenticate(JsonObject credentials, Handler<AsyncResult<User>> resultHandler) {
        String user = credentials.getString("username", "");
        String password = credentials.getString("password", "");
        if (accepts(user, password)) {
            resultHandler.handle(Future.succeededFuture(User.fromName(user)));
        } else {
            resultHandler.handle(Future.failedFuture("Unauthorized"));
        }
    }

    boolean accepts(String user, String password) {
        byte[] wanted = expected;
        return wanted != null && MessageDigest.isEqual(wanted, digest(user + ":" + password));
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("").trim();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        servers.setCamelContext(camelContext);
    }

    @Override
    public CamelContext getCamelContext() {
        return servers.getCamelContext();
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
