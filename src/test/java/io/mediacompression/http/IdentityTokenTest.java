package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import io.mediacompression.support.OidcIssuer;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OIDC identity tokens against a local issuer the test starts (its own keys, discovery document and JWKS): the
 * service alone on tokens (no API_KEYS), and a second one that asks for both a token and a key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityTokenTest {

    private static final String AUDIENCE = "https://media.internal.example.org";
    private static final String LMS = "lms@project.iam.gserviceaccount.com";
    private static final String LMS_SUB = "system:serviceaccount:lms:lms-backend";

    // both services start once the issuer they trust is up
    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application()
            .with("oidc.audience", AUDIENCE)
            .with("oidc.allowed-subjects", LMS + ", " + LMS_SUB)
            .with("oidc.jwks-min-refresh", "0")
            .startedByTest();

    private OidcIssuer issuer;
    private RSAKey rsa;
    private ECKey ec;
    private RunningService tokensOnly;
    private RunningService tokensAndKeys;

    @BeforeAll
    void start() throws Exception {
        issuer = new OidcIssuer();
        rsa = issuer.publish(OidcIssuer.newRsaKey());
        ec = issuer.publish(OidcIssuer.newEcKey());
        tokensOnly = APP.start("oidc.issuer", issuer.issuer(), "api.apikey", "");
        tokensAndKeys = APP.start("oidc.issuer", issuer.issuer());
    }

    @AfterAll
    void stopIssuer() {
        issuer.close();
    }

    private HttpResponse<String> status(RunningService service, String authorization, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri("/status/abc"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return service.send(request);
    }

    private HttpResponse<String> status(String token) throws Exception {
        return status(tokensOnly, token == null ? null : "Bearer " + token, null);
    }

    private static void assertRefused(HttpResponse<String> answer, String challenge) {
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo("{\"error\":\"Unauthorized\"}");
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue(challenge);
    }

    private static final String INVALID = "Bearer realm=\"media-compression\", error=\"invalid_token\"";

    @Test
    void a_valid_rs256_or_es256_token_of_an_allowed_subject_is_served() throws Exception {
        HttpResponse<String> byEmail = status(OidcIssuer.sign(rsa,
                issuer.claims(AUDIENCE, "1234567890").claim("email", LMS).claim("email_verified", true).build()));
        assertThat(byEmail.statusCode()).as(byEmail.body()).isEqualTo(200);
        assertThat(byEmail.body()).contains("not_found");
        assertThat(status(OidcIssuer.sign(ec, issuer.claims(AUDIENCE, LMS_SUB).build())).statusCode()).isEqualTo(200);
        // 30 s past its expiry is within the 60 s of clock skew
        assertThat(status(OidcIssuer.sign(rsa, issuer.claims(AUDIENCE, LMS_SUB)
                .expirationTime(new Date(System.currentTimeMillis() - 30_000)).build())).statusCode()).isEqualTo(200);
    }

    @Test
    void a_missing_token_gets_401_with_a_bearer_challenge() throws Exception {
        assertRefused(status(null), "Bearer realm=\"media-compression\"");
        assertRefused(status(tokensOnly, null, RunningService.KEY), "Bearer realm=\"media-compression\"");
        assertRefused(status(tokensOnly, "Basic dXNlcjpwYXNz", null), INVALID);
    }

    @Test
    void expired_early_other_audience_other_issuer_and_other_key_tokens_get_401() throws Exception {
        long now = System.currentTimeMillis();
        assertRefused(status(OidcIssuer.sign(rsa, issuer.claims(AUDIENCE, LMS_SUB)
                .expirationTime(new Date(now - 120_000)).build())), INVALID);
        assertRefused(status(OidcIssuer.sign(rsa, issuer.claims(AUDIENCE, LMS_SUB)
                .notBeforeTime(new Date(now + 300_000)).build())), INVALID);
        assertRefused(status(OidcIssuer.sign(rsa, issuer.claims("https://another.example.org", LMS_SUB).build())),
                INVALID);
        assertRefused(status(OidcIssuer.sign(rsa, issuer.claims(AUDIENCE, LMS_SUB)
                .issuer("https://accounts.google.com").build())), INVALID);
        assertRefused(status(OidcIssuer.sign(OidcIssuer.newRsaKey(), issuer.claims(AUDIENCE, LMS_SUB).build())),
                INVALID);
        // another key under the published key's id
        RSAKey impostor = new RSAKey.Builder(OidcIssuer.newRsaKey()).keyID(rsa.getKeyID()).build();
        assertRefused(status(OidcIssuer.sign(impostor, issuer.claims(AUDIENCE, LMS_SUB).build())), INVALID);
    }

    @Test
    void an_unsigned_alg_none_token_gets_401() throws Exception {
        String none = new PlainJWT(issuer.claims(AUDIENCE, LMS_SUB).build()).serialize();
        assertRefused(status(none), INVALID);
        // the same claims under a signed header with its signature cut off
        String signed = OidcIssuer.sign(rsa, issuer.claims(AUDIENCE, LMS_SUB).build());
        assertRefused(status(signed.substring(0, signed.lastIndexOf('.') + 1)), INVALID);
        String noneHeader = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"" + rsa.getKeyID() + "\"}").toString();
        assertRefused(status(noneHeader + signed.substring(signed.indexOf('.'))), INVALID);
    }

    @Test
    void a_subject_that_is_not_allowed_gets_401() throws Exception {
        assertRefused(status(OidcIssuer.sign(rsa, issuer.claims(AUDIENCE, "system:serviceaccount:other:app")
                .build())), INVALID);
        // an allowed email that the issuer does not vouch for
        assertRefused(status(OidcIssuer.sign(rsa, issuer.claims(AUDIENCE, "1234567890").claim("email", LMS)
                .claim("email_verified", false).build())), INVALID);
    }

    @Test
    void a_key_rotated_at_the_issuer_is_picked_up_without_a_restart() throws Exception {
        assertThat(status(OidcIssuer.sign(rsa, issuer.claims(AUDIENCE, LMS_SUB).build())).statusCode()).isEqualTo(200);
        int fetched = issuer.jwksRequests();
        assertThat(status(OidcIssuer.sign(rsa, issuer.claims(AUDIENCE, LMS_SUB).build())).statusCode()).isEqualTo(200);
        assertThat(issuer.jwksRequests()).as("the JWKS is cached").isEqualTo(fetched);

        RSAKey next = OidcIssuer.newRsaKey();
        issuer.rotateTo(next);
        issuer.publish(ec);
        assertThat(status(OidcIssuer.sign(next, issuer.claims(AUDIENCE, LMS_SUB).build())).statusCode()).isEqualTo(200);
        assertThat(issuer.jwksRequests()).isGreaterThan(fetched);
        issuer.publish(rsa);
    }

    @Test
    void with_api_keys_set_as_well_both_the_token_and_the_key_are_required() throws Exception {
        String token = "Bearer " + OidcIssuer.sign(rsa, issuer.claims(AUDIENCE, LMS_SUB).build());
        assertThat(status(tokensAndKeys, token, RunningService.KEY).statusCode()).isEqualTo(200);
        assertThat(status(tokensAndKeys, token, null).statusCode()).isEqualTo(401);
        assertThat(status(tokensAndKeys, token, "wrong-key").statusCode()).isEqualTo(401);
        assertRefused(status(tokensAndKeys, null, RunningService.KEY), "Bearer realm=\"media-compression\"");
    }
}
