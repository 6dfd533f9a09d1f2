package io.mediacompression.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Header;

/**
 * The accepted API keys (several at once, so a key can be rotated without downtime). Keys are kept only as
 * SHA-256 digests and compared in constant time: neither the position nor the length of a mismatch shows in
 * the time a check takes.
 */
public final class ApiKeys {

    private final List<byte[]> digests;

    public ApiKeys(String commaSeparatedKeys) {
        this.digests = Arrays.stream(commaSeparatedKeys == null ? new String[0] : commaSeparatedKeys.split(","))
                .map(String::trim)
                .filter(k -> !k.isEmpty())
                .map(ApiKeys::digest)
                .toList();
        if (digests.isEmpty()) {
            throw new IllegalStateException(
                    "API_KEYS is not set: the service needs at least one API key (comma separated) to start");
        }
    }

    public boolean accepts(String presented) {
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

    /** Refuses a request without an accepted {@code X-API-Key}. */
    public void check(@Header("X-API-Key") String apiKey) {
        if (!accepts(apiKey)) {
            throw ApiException.unauthorized();
        }
    }

    /** The handshake endpoints also take the key as {@code X-Internal-Service-Key}. */
    public void checkInternal(@Header("X-API-Key") String apiKey, @Header("X-Internal-Service-Key") String serviceKey) {
        if (!accepts(apiKey) && !accepts(serviceKey)) {
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
