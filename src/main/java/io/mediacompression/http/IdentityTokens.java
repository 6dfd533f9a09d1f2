package io.mediacompression.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OIDC identity tokens (`Authorization: Bearer <JWT>`), as private services call each other on Cloud Run (Google-signed
 * ID tokens) and on Kubernetes (projected service-account tokens), checked with Nimbus JOSE + JWT: the signature (RS256
 * or ES256) against the issuer's JWKS, found through its discovery document, cached, and fetched again when a token
 * names a key id it does not hold (at most once per {@code jwksMinRefresh}); {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf} with 60 s of clock skew; and the subject ({@code email}, when verified, or {@code sub}) against the
 * allowed ones.
 */
public final class IdentityTokens {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityTokens.class);
    private static final int CLOCK_SKEW_SECONDS = 60;
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final String issuer;
    private final String audience;
    private final Set<String> allowedSubjects;
    private final Duration jwksMinRefresh;
    private final ResourceRetriever retriever = new DefaultResourceRetriever(5_000, 5_000, 512 * 1024);
    private volatile ConfigurableJWTProcessor<SecurityContext> processor;

    public IdentityTokens(String issuer, String audience, String allowedSubjects, Duration jwksMinRefresh) {
        this.issuer = issuer;
        this.audience = audience;
        this.allowedSubjects = Arrays.stream(allowedSubjects.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.jwksMinRefresh = jwksMinRefresh;
        if (!issuer.matches("https://[^\\s]+") && !issuer.matches("http://(127\\.0\\.0\\.1|localhost)(:\\d+)?(/[^\\s]*)?")) {
            // its keys are fetched from there: over plain HTTP anyone on the way could hand out their own
            throw new IllegalStateException("OIDC_ISSUER must be the issuer's https:// URL, as its tokens' iss claim "
                    + "gives it (plain http only on the loopback address, for tests)");
        }
        if (audience.isBlank()) {
            throw new IllegalStateException("OIDC_ISSUER is set but OIDC_AUDIENCE is not: without it a token minted for "
                    + "any other service would be accepted");
        }
        if (this.allowedSubjects.isEmpty()) {
            throw new IllegalStateException("OIDC_ISSUER is set but OIDC_ALLOWED_SUBJECTS is not: name the service "
                    + "accounts (email or sub) that may call, or any account of that issuer could");
        }
    }

    /** The caller's subject when the token is valid; empty (and the reason logged, never the token) otherwise. */
    public Optional<String> verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        try {
            JWTClaimsSet claims = processor().process(token, null);
            Optional<String> subject = subject(claims);
            if (subject.isEmpty()) {
                LOG.warn("Identity token refused: its subject is not in OIDC_ALLOWED_SUBJECTS");
            }
            return subject;
        } catch (ParseException | BadJOSEException | JOSEException e) {
            LOG.warn("Identity token refused: {}", e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Identity token could not be checked (issuer discovery or keys unavailable): {}", e.toString());
        }
        return Optional.empty();
    }

    private Optional<String> subject(JWTClaimsSet claims) throws ParseException {
        String email = claims.getStringClaim("email");
        Boolean verified = claims.getBooleanClaim("email_verified");
        if (email != null && !Boolean.FALSE.equals(verified) && allowedSubjects.contains(email)) {
            return Optional.of(email);
        }
        String sub = claims.getSubject();
        return sub != null && allowedSubjects.contains(sub) ? Optional.of(sub) : Optional.empty();
    }

    /** Built at the first token: the issuer's discovery document names its JWKS; a failure is tried again next time. */
    private ConfigurableJWTProcessor<SecurityContext> processor() throws IOException, ParseException {
        ConfigurableJWTProcessor<SecurityContext> built = processor;
        if (built != null) {
            return built;
        }
        synchronized (this) {
            if (processor == null) {
                processor = build();
            }
            return processor;
        }
    }

    private ConfigurableJWTProcessor<SecurityContext> build() throws IOException, ParseException {
        URL discovery = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration").toURL();
        Map<String, Object> metadata = JSONObjectUtils.parse(retriever.retrieveResource(discovery).getContent());
        if (!issuer.equals(metadata.get("issuer"))) {
            throw new IOException("the discovery document names another issuer than OIDC_ISSUER");
        }
        Object jwksUri = metadata.get("jwks_uri");
        if (!(jwksUri instanceof String uri)) {
            throw new IOException("the discovery document has no jwks_uri");
        }
        JWKSourceBuilder<SecurityContext> keys = JWKSourceBuilder.create(URI.create(uri).toURL(), retriever);
        JWKSource<SecurityContext> source = (jwksMinRefresh.isZero() ? keys.rateLimited(false)
                : keys.rateLimited(jwksMinRefresh.toMillis())).build();
        ConfigurableJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
        jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, source));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("iss", "aud", "exp", "sub"));
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        jwt.setJWTClaimsSetVerifier(claims);
        LOG.info("Identity tokens of {} for audience {} are checked against {}", issuer, audience, uri);
        return jwt;
    }
}
