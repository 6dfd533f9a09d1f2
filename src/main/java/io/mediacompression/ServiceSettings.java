package io.mediacompression;

import io.mediacompression.media.ImageProfile;
import io.mediacompression.media.VideoProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The settings the beans are built from, read once from `application.properties` (where each one names the
 * environment variable that overrides it). Secrets are not part of this record, so it is safe to log.
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
        ImageProfile image,
        int retryMaxAttempts,
        Duration retryInitialDelay,
        Duration retryMaxDelay,
        Duration handshakeTtl) {

    static ServiceSettings from(PropertiesComponent properties) {
        Reader p = new Reader(properties);
        return new ServiceSettings(
                Path.of(p.text("work.dir")).toAbsolutePath().normalize(),
                Path.of(p.text("output.dir")).toAbsolutePath().normalize(),
                p.positiveLong("media.video.max-size-mb"),
                p.positiveLong("media.image.max-size-mb"),
                workers(p.integer("jobs.workers")),
                (int) p.positiveLong("jobs.queue-size"),
                Optional.of(p.optionalText("redis.url")).filter(s -> !s.isBlank()),
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
                new ImageProfile(
                        (int) p.positiveLong("media.image.max-side"),
                        p.positiveLong("media.image.max-megapixels") * 1_000_000,
                        p.integer("media.image.jpeg-qscale"),
                        p.integer("media.image.webp-quality")),
                (int) p.positiveLong("retry.max-attempts"),
                p.duration("retry.initial-delay"),
                p.duration("retry.max-delay"),
                p.duration("handshake.ttl"));
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

        int integer(String key) {
            try {
                return Integer.parseInt(text(key));
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
