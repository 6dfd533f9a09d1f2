package io.mediacompression;

import io.mediacompression.delivery.DeliverySettings;
import io.mediacompression.delivery.LmsCredentials;
import io.mediacompression.delivery.RetryPolicy;
import io.mediacompression.delivery.SftpSettings;
import io.mediacompression.http.ApiTransport;
import io.mediacompression.http.HttpSettings;
import io.mediacompression.job.CpuPriority;
import io.mediacompression.job.JobSettings;
import io.mediacompression.media.HlsProfile;
import io.mediacompression.media.ImageProfile;
import io.mediacompression.media.VideoOutputs;
import io.mediacompression.media.VideoProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The settings the beans are built from, read once from `application.properties` (where each one names the
 * environment variable that overrides it): the one place a setting is read. The secrets are in {@link Secrets}, which
 * never shows their values, so this record is safe to log.
 */
public record ServiceSettings(
        Path workDir,
        Path outputDir,
        long videoMaxMb,
        long imageMaxMb,
        int workers,
        int queueSize,
        Optional<String> redisUrl,
        Duration jobRetention,
        Duration uploadStallTimeout,
        Duration retryAfter,
        Duration ffmpegStallTimeout,
        VideoProfile video,
        VideoOutputs videoOutputs,
        HlsProfile hls,
        ImageProfile image,
        SftpSettings sftp,
        boolean clientConfirm,
        Duration clientConfirmConnectTimeout,
        Duration clientConfirmResponseTimeout,
        RetryPolicy retry,
        Duration handshakeTtl,
        Duration orphanAge,
        Duration staleAfter,
        Optional<ApiTransport.Tls> tls,
        Duration tlsReloadInterval,
        Duration headerTimeout,
        int maxConnections,
        Duration oidcJwksMinRefresh,
        Role role,
        String instanceId,
        QueueKind jobQueue,
        int port,
        long maxBodyBytes,
        boolean h2c,
        Optional<HttpSettings.Oidc> oidc,
        Ffmpeg ffmpeg,
        long workMinFreeMb,
        Duration sweepInterval,
        boolean storeCallback,
        Secrets secrets) {

    /** The FFmpeg and ffprobe executables and the CPU priority they run at. */
    public record Ffmpeg(String path, String probePath, CpuPriority priority) {
    }

    /**
     * The secrets, as written (see {@link RawSettings} for the ones that may hold any character). The LMS URLs are
     * here because they may carry a token or a password.
     */
    public record Secrets(String apiKeys, String internalServiceKeys, String webhookSecrets, String sftpPassword,
                          String sftpPrivateKeyPassphrase, String clientConfirmUrl, String lmsStoreUrl) {
        @Override
        public String toString() {
            return "Secrets[not shown]";
        }
    }

    /** `ROLE`: which half of the service this instance runs. */
    public enum Role {
        ALL, API, WORKER;

        /** Serves intake and status (`/compress/`, `/status`, the handshake endpoints). */
        public boolean serves() {
            return this != WORKER;
        }

        /** Compresses and delivers jobs. */
        public boolean works() {
            return this != API;
        }
    }

    /** `JOB_QUEUE`: this instance's own seda queue, or the Redis Stream every instance shares. */
    public enum QueueKind {
        LOCAL, REDIS
    }

    static ServiceSettings from(PropertiesComponent properties) {
        Reader p = new Reader(properties);
        return new ServiceSettings(
                Path.of(p.text("work.dir")).toAbsolutePath().normalize(),
                Path.of(p.text("output.dir")).toAbsolutePath().normalize(),
                p.positiveLong("media.video.max-size-mb"),
                p.positiveLong("media.image.max-size-mb"),
                workers(p.integer("jobs.workers")),
                (int) p.positiveLong("jobs.queue-size"),
                Optional.of(RawSettings.value(p.properties(), "redis.url").trim()).filter(s -> !s.isBlank()),
                p.duration("jobs.retention"),
                p.duration("http.upload-stall-timeout"),
                p.duration("http.retry-after"),
                p.duration("ffmpeg.stall-timeout"),
                new VideoProfile(
                        (int) p.positiveLong("media.video.max-long-side"),
                        (int) p.positiveLong("media.video.max-short-side"),
                        p.text("media.video.preset"),
                        p.integer("media.video.crf"),
                        (int) p.positiveLong("media.video.audio-kbps"),
                        p.integer("media.video.remux-max-kbps")),
                videoOutputs(p.text("media.video.outputs")),
                HlsProfile.parse(p.text("media.hls.ladder"), p.integer("media.hls.segment-seconds")),
                new ImageProfile(
                        (int) p.positiveLong("media.image.max-side"),
                        p.positiveLong("media.image.max-megapixels") * 1_000_000,
                        p.integer("media.image.jpeg-qscale"),
                        p.integer("media.image.webp-quality")),
                sftp(p),
                clientConfirm(p.optionalText("client-confirm.url")),
                p.duration("client-confirm.connect-timeout"),
                p.duration("client-confirm.response-timeout"),
                new RetryPolicy(
                        (int) p.positiveLong("retry.max-attempts"),
                        p.duration("retry.initial-delay"),
                        p.duration("retry.max-delay")),
                p.duration("handshake.ttl"),
                p.duration("jobs.orphan-age"),
                staleAfter(p.duration("jobs.stale-after"), p.duration("jobs.sweep-interval")),
                tls(p),
                p.duration("tls.reload-interval"),
                p.duration("http.header-timeout"),
                (int) p.positiveLong("http.max-connections"),
                p.duration("oidc.jwks-min-refresh"),
                role(p.text("service.role")),
                instanceId(p.optionalText("service.instance-id")),
                queueKind(p.text("jobs.queue"), !p.optionalText("redis.url").isBlank(), p.text("service.role")),
                p.integer("camel.server.port"),
                p.wholeNumber("camel.server.maxBodySize"),
                Boolean.parseBoolean(p.optionalText("http.h2c")),
                oidc(p),
                new Ffmpeg(p.optionalText("ffmpeg.path"), p.optionalText("ffmpeg.probe-path"),
                        cpuPriority(p.text("ffmpeg.nice"))),
                p.wholeNumber("work.min-free-mb"),
                p.duration("jobs.sweep-interval"),
                !p.optionalText("lms.store-url").isBlank(),
                secrets(p));
    }

    private static Optional<HttpSettings.Oidc> oidc(Reader p) {
        String issuer = p.optionalText("oidc.issuer");
        return issuer.isEmpty() ? Optional.empty()
                : Optional.of(new HttpSettings.Oidc(issuer, p.optionalText("oidc.audience"), p.optionalText("oidc.allowed-subjects")));
    }

    private static Secrets secrets(Reader p) {
        return new Secrets(
                p.properties().resolveProperty("api.apikey").orElse(""),
                p.optionalText("internal-service.keys"),
                p.optionalText("webhook.secrets"),
                RawSettings.value(p.properties(), "sftp.password"),
                RawSettings.value(p.properties(), "sftp.private-key-passphrase"),
                RawSettings.value(p.properties(), "client-confirm.url"),
                RawSettings.value(p.properties(), "lms.store-url"));
    }

    /** HTTPS on PORT when a certificate and its key are set; mutual TLS when a client CA is set as well. */
    private static Optional<ApiTransport.Tls> tls(Reader p) {
        Optional<Path> cert = p.optionalPath("tls.cert-file");
        Optional<Path> key = p.optionalPath("tls.key-file");
        Optional<Path> clientCa = p.optionalPath("tls.client-ca-file");
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalStateException("TLS_CERT_FILE and TLS_KEY_FILE go together: set both, or neither");
        }
        if (cert.isEmpty()) {
            if (clientCa.isPresent()) {
                throw new IllegalStateException("TLS_CLIENT_CA_FILE is set but TLS_CERT_FILE and TLS_KEY_FILE are not: "
                        + "mutual TLS needs the server's own certificate too");
            }
            return Optional.empty();
        }
        requireReadable(cert.get(), "TLS_CERT_FILE");
        requireReadable(key.get(), "TLS_KEY_FILE");
        clientCa.ifPresent(ca -> requireReadable(ca, "TLS_CLIENT_CA_FILE"));
        return Optional.of(new ApiTransport.Tls(cert.get(), key.get(), clientCa));
    }

    private static void requireReadable(Path file, String variable) {
        if (!java.nio.file.Files.isRegularFile(file) || !java.nio.file.Files.isReadable(file)) {
            throw new IllegalStateException(variable + " (" + file + ") is not a readable file");
        }
    }

    /** The settings of the HTTP package's beans. */
    HttpSettings http() {
        return new HttpSettings(port, maxBodyBytes, h2c, tls, tlsReloadInterval, headerTimeout, maxConnections, oidc,
                oidcJwksMinRefresh, secrets.apiKeys(), secrets.internalServiceKeys(), retryAfter, workDir,
                workMinFreeBytes(), videoMaxMb, imageMaxMb, uploadStallTimeout, storeCallback, videoOutputs);
    }

    /** The settings of the job package's beans. */
    JobSettings jobs() {
        return new JobSettings(workDir, jobQueue == QueueKind.REDIS, role.works(), instanceId, workers, queueSize,
                jobRetention, handshakeTtl, orphanAge, staleAfter, sweepInterval, ffmpegStallTimeout, ffmpeg.path(),
                ffmpeg.probePath(), ffmpeg.priority(), video, image, hls);
    }

    /** The settings of the delivery package's beans. */
    DeliverySettings delivery() {
        return new DeliverySettings(outputDir, sftp, retry, secrets.sftpPassword(), secrets.sftpPrivateKeyPassphrase(),
                secrets.clientConfirmUrl(), secrets.lmsStoreUrl(), secrets.webhookSecrets());
    }

    /** WORK_MIN_FREE_MB in bytes: below it readiness is DOWN and uploads are refused. */
    long workMinFreeBytes() {
        return workMinFreeMb * 1024 * 1024;
    }

    /**
     * Placeholders the route files read, derived from the settings above, under names no setting has: the effective
     * worker count, Camel's HTTP timeouts in plain milliseconds, the switches the routes choose their branches and
     * preconditions on, and the LMS URLs without the credentials they may carry (sent as Basic authentication).
     */
    Map<String, String> routeProperties() {
        Map<String, String> derived = new LinkedHashMap<>();
        derived.put("jobs.worker-count", Integer.toString(workers));
        derived.put("sftp.enabled", Boolean.toString(sftp.enabled()));
        derived.put("client-confirm.enabled", Boolean.toString(clientConfirm));
        derived.put("client-confirm.connect-timeout-ms", Long.toString(clientConfirmConnectTimeout.toMillis()));
        derived.put("client-confirm.response-timeout-ms", Long.toString(clientConfirmResponseTimeout.toMillis()));
        derived.put("client-confirm.target.url", new LmsCredentials(secrets.clientConfirmUrl()).url());
        derived.put("lms.store.target.url", new LmsCredentials(secrets.lmsStoreUrl()).url());
        derived.put("role.serves", Boolean.toString(role.serves()));
        derived.put("role.works", Boolean.toString(role.works()));
        derived.put("jobs.queue-redis", Boolean.toString(jobQueue == QueueKind.REDIS));
        return derived;
    }

    private static SftpSettings sftp(Reader p) {
        String strict = p.text("sftp.strict-host-key-checking");
        if (!strict.equals("yes") && !strict.equals("no")) {
            throw new IllegalStateException("SFTP_STRICT_HOST_KEY_CHECKING must be yes or no");
        }
        return new SftpSettings(
                p.optionalText("sftp.host"),
                p.integer("sftp.port"),
                p.optionalText("sftp.user"),
                !RawSettings.value(p.properties(), "sftp.password").isEmpty(),
                p.optionalPath("sftp.private-key-file"),
                p.optionalPath("sftp.known-hosts-file"),
                strict.equals("yes"),
                p.optionalText("sftp.base-dir"));
    }

    private static Role role(String role) {
        try {
            return Role.valueOf(role.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ROLE must be all, api or worker");
        }
    }

    /** `INSTANCE_ID`, or the host name: the name `GET /status` shows for the instance whose worker has the job. */
    private static String instanceId(String configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    // an api instance alone compresses nothing and a worker alone receives nothing: both need the shared queue
    private static QueueKind queueKind(String queue, boolean redisSet, String role) {
        QueueKind kind;
        try {
            kind = QueueKind.valueOf(queue.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("JOB_QUEUE must be local or redis");
        }
        if (kind == QueueKind.REDIS && !redisSet) {
            throw new IllegalStateException("JOB_QUEUE=redis needs REDIS_URL: the shared job queue is a Redis Stream");
        }
        if (kind == QueueKind.LOCAL && !role.equalsIgnoreCase("all")) {
            throw new IllegalStateException("ROLE=" + role + " needs JOB_QUEUE=redis (and a WORK_DIR shared by all "
                    + "instances): with the local queue, jobs never leave the instance that received them");
        }
        return kind;
    }

    private static CpuPriority cpuPriority(String text) {
        try {
            return CpuPriority.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("FFMPEG_NICE must be idle or a niceness from 0 to 19");
        }
    }

    private static VideoOutputs videoOutputs(String text) {
        try {
            return VideoOutputs.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("VIDEO_OUTPUTS must be mp4, hls or mp4,hls");
        }
    }

    /** Whether the LMS is told about deliveries; the URL itself stays out of this record (it may carry a token). */
    private static boolean clientConfirm(String url) {
        if (url.isEmpty()) {
            return false;
        }
        if (!url.matches("(?i)https?://[^/?#\\s]+.*")) {
            throw new IllegalStateException("CLIENT_CONFIRM_API must be an http:// or https:// URL");
        }
        return true;
    }

    // a job is stale when its instance has missed several heartbeats (one per sweep), not one late sweep
    private static Duration staleAfter(Duration staleAfter, Duration sweepInterval) {
        if (staleAfter.compareTo(sweepInterval.multipliedBy(3)) < 0) {
            throw new IllegalStateException("JOBS_STALE_AFTER must be at least three times SWEEP_INTERVAL");
        }
        return staleAfter;
    }

    /** `WORKERS` unset (0): one job per two cores, at least one; FFmpeg itself uses every core of a job. */
    static int workers(int configured) {
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    private record Reader(PropertiesComponent properties) {
        String optionalText(String key) {
            return properties.resolveProperty(key).orElse("").trim();
        }

        String text(String key) {
            String value = optionalText(key);
            if (value.isEmpty()) {
                throw new IllegalStateException("The setting '" + key + "' is empty");
            }
            return value;
        }

        Optional<Path> optionalPath(String key) {
            String value = optionalText(key);
            return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value).toAbsolutePath().normalize());
        }

        int integer(String key) {
            try {
                return Integer.parseInt(text(key));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("The setting '" + key + "' is not a whole number");
            }
        }

        long wholeNumber(String key) {
            try {
                return Long.parseLong(text(key));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("The setting '" + key + "' is not a whole number");
            }
        }

        long positiveLong(String key) {
            long value = integer(key);
            if (value <= 0) {
                throw new IllegalStateException("The setting '" + key + "' must be greater than 0");
            }
            return value;
        }

        Duration duration(String key) {
            String value = text(key);
            if (!value.matches("\\d+(ms|s|m|h|d)?")) {
                throw new IllegalStateException("The setting '" + key + "' is not a duration like 500ms, 30s, 15m or 24h");
            }
            return Duration.ofMillis(TimeUtils.toMilliSeconds(value));
        }
    }
}
