package io.mediacompression.http;

import io.mediacompression.media.VideoOutputs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the HTTP beans are built from, as the service's settings give it. The keys are secrets, so this record never
 * shows its values.
 *
 * @param oidc           OIDC_ISSUER, OIDC_AUDIENCE and OIDC_ALLOWED_SUBJECTS, when identity tokens are asked for
 * @param storeCallback  LMS_STORE_URL is set: the handshake flow (/video/receive) is on
 */
public record HttpSettings(
        int port,
        long maxBodyBytes,
        boolean h2c,
        Optional<ApiTransport.Tls> tls,
        Duration tlsReloadInterval,
        Duration headerTimeout,
        int maxConnections,
        Optional<Oidc> oidc,
        Duration oidcJwksMinRefresh,
        String apiKeys,
        String internalServiceKeys,
        Duration retryAfter,
        Path workDir,
        long workMinFreeBytes,
        long videoMaxMb,
        long imageMaxMb,
        Duration uploadStallTimeout,
        boolean storeCallback,
        VideoOutputs videoOutputs) {

    /** The issuer of the identity tokens every business request carries, the audience and the callers it allows. */
    public record Oidc(String issuer, String audience, String allowedSubjects) {
    }

    @Override
    public String toString() {
        return "HttpSettings[port=" + port + ", tls=" + tls + ", oidc=" + oidc + "]";
    }
}
