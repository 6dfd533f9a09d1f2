package io.mediacompression.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Header;

/**
 * The accepted API keys (several at once, so a key can be rotated without downtime), and the internal service keys
 * that, when set, are the only ones the handshake endpoints take. Keys are kept only as SHA-256 digests and compared
 * in constant time: neither the position nor the length of a mismatch shows in the time a check takes.
 */
public final class ApiKeys {

    private final List<byte[]> digests;
    private final List<byte[]> internalDigests;

    public ApiKeys(String commaSeparatedKeys) {
        this(commaSeparatedKeys, "");
    }

    /** {@code internalKeys} empty: the handshake endpoints take the API keys, as {@code /compress/} does. */
    public ApiKeys(String commaSeparatedKeys, String internalKeys) {
        this.digests = digests(commaSeparatedKeys);
        this.internalDigests = digests(internalKeys);
        if (digests.isEmpty()) {
            throw new IllegalStateException(
                    "API_KEYS is not set: the service needs at least one API key (comma separated) to start");
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

    /** Refuses a request without an accepted {@code X-API-Key}. */
    public void check(@Header("X-API-Key") String apiKey) {
        if (!accepts(apiKey)) {
            throw ApiException.unauthorized();
        }
    }

    /**
     * The handshake endpoints take the key as {@code X-Internal-Service-Key} or {@code X-API-Key}; with
     * INTERNAL_SERVICE_KEYS set, only those keys.
     */
    public void checkInternal(@Header("X-API-Key") String apiKey, @Header("X-Internal-Service-Key") String serviceKey) {
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
