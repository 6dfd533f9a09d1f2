package io.mediacompression.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local OIDC issuer: its own discovery document and JWKS over HTTP on a loopback port, its own RSA and EC keys, and
 * tokens signed with them (or with keys it does not publish). Keys can be rotated while it runs.
 */
public final class OidcIssuer implements AutoCloseable {

    private final HttpServer server;
    private final String issuer;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();

    public OidcIssuer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
        server.createContext("/issuer/.well-known/openid-configuration", exchange -> answer(exchange,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\","
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}"));
        server.createContext("/issuer/jwks", exchange -> {
            jwksRequests.incrementAndGet();
            answer(exchange, new JWKSet(published.stream().map(JWK::toPublicJWK).toList()).toString());
        });
        server.start();
    }

    public String issuer() {
        return issuer;
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    public static RSAKey newRsaKey() throws Exception {
        return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    }

    public static ECKey newEcKey() throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
    }

    /** Publishes this key in the JWKS, beside the others. */
    public <K extends JWK> K publish(K key) {
        published.add(key);
        return key;
    }

    /** Publishes only this key from now on: a rotation. */
    public <K extends JWK> K rotateTo(K key) {
        published.clear();
        published.add(key);
        return key;
    }

    public JWTClaimsSet.Builder claims(String audience, String subject) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
                .issueTime(new java.util.Date(now)).expirationTime(new java.util.Date(now + 3_600_000));
    }

    /** A JWT signed with {@code key}: RS256 for an RSA key, ES256 for an EC one. */
    public static String sign(JWK key, JWTClaimsSet claims) throws Exception {
        JWSAlgorithm algorithm = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
        JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
                .build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
