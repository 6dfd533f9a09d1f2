package io.mediacompression.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Header;

/**
 * The accepted API keys (several at once, so a key can be rotated without downtime), and the internal service keys
 * that, when set, are the only ones the handshake endpoints take. Keys are kept only as SHA-256 digests and compared
 * in constant time: neither the position nor the length of a mismatch shows in the time a check takes.
 */
public final class ApiKeys {

    private static final String REALM = "Bearer realm=\"media-compression\"";

    private final List<byte[]> digests;
    private final List<byte[]> internalDigests;
    private final Optional<IdentityTokens> tokens;

    public ApiKeys(String commaSeparatedKeys) {
        this(commaSeparatedKeys, "", Optional.empty());
    }

    /**
     * {@code internalKeys} empty: the handshake endpoints take the API keys, as {@code /compress/} does. With identity
     * tokens (OIDC_ISSUER) every business request needs a valid one, and the keys become optional: when they are set
     * as well, a request needs both.
     */
    public ApiKeys(String commaSeparatedKeys, String internalKeys, Optional<IdentityTokens> tokens) {
        this.digests = digests(commaSeparatedKeys);
        this.internalDigests = digests(internalKeys);
        this.tokens = tokens;
        if (digests.isEmpty() && tokens.isEmpty()) {
            throw new IllegalStateException("API_KEYS is not set: the service needs at least one API key (comma "
                    + "separated), or identity tokens (OIDC_ISSUER), to start");
        }
    }

    public boolean accepts(String presented) {
        return matches(digests, presented);
    }

    /** Whether the handshake endpoints take this key: an internal service key when they are set, else an API key. */
    public boolean acceptsInternal(String presented) {
        return matches(internalDigests.isEmpty() ? digests : internalDigests, presented);
    }

    private static boolean matches(List<byte[]> digests, String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] candidate = digest(presented);
        boolean accepted = false;
        for (byte[] key : digests) {
            accepted |= MessageDigest.isEqual(key, candidate);
        }
        return accepted;
    }

    private static List<byte[]> digests(String commaSeparatedKeys) {
        return Arrays.stream(commaSeparatedKeys == null ? new String[0] : commaSeparatedKeys.split(","))
                .map(String::trim)
                .filter(k -> !k.isEmpty())
                .map(ApiKeys::digest)
                .toList();
    }

    /** Refuses a request without an accepted {@code X-API-Key}, or without a valid identity token when they are on. */
    public void check(@Header("X-API-Key") String apiKey, @Header("Authorization") String authorization) {
        checkToken(authorization);
        if (!digests.isEmpty() && !accepts(apiKey)) {
            throw ApiException.unauthorized();
        }
    }

    // RFC 6750: a missing token gets the challenge alone, an invalid one its error code too
    private void checkToken(String authorization) {
        if (tokens.isPresent() && tokens.get().verify(authorization).isEmpty()) {
            String challenge = authorization == null || authorization.isBlank() ? REALM
                    : REALM + ", error=\"invalid_token\"";
            throw new ApiException(401, new ApiException.ErrorBody("Unauthorized", null),
                    Map.of("WWW-Authenticate", challenge));
        }
    }

    /**
     * The handshake endpoints take the key as {@code X-Internal-Service-Key} or {@code X-API-Key}; with
     * INTERNAL_SERVICE_KEYS set, only those keys.
     */
    public void checkInternal(@Header("X-API-Key") String apiKey, @Header("X-Internal-Service-Key") String serviceKey,
                              @Header("Authorization") String authorization) {
        checkToken(authorization);
        if (digests.isEmpty() && internalDigests.isEmpty()) {
            return;
        }
        // both checked, so the time taken does not tell which header held a key
        boolean viaApiKey = acceptsInternal(apiKey);
        boolean viaServiceKey = acceptsInternal(serviceKey);
        if (!viaApiKey && !viaServiceKey) {
            throw ApiException.unauthorized();
        }
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
