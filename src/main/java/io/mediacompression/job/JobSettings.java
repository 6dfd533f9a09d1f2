package io.mediacompression.job;

import io.mediacompression.media.HlsProfile;
import io.mediacompression.media.ImageProfile;
import io.mediacompression.media.VideoProfile;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the job beans are built from, as the service's settings give it.
 *
 * @param sharedQueue JOB_QUEUE=redis: the Redis Stream every instance shares instead of this instance's seda queue
 * @param works       ROLE all or worker: this instance compresses
 */
public record JobSettings(
        Path workDir,
        boolean sharedQueue,
        boolean works,
        String instanceId,
        int workers,
        int queueSize,
        Duration retention,
        Duration handshakeTtl,
        Duration orphanAge,
        Duration staleAfter,
        Duration sweepInterval,
        Duration ffmpegStallTimeout,
        String ffmpegPath,
        String ffprobePath,
        CpuPriority ffmpegPriority,
        VideoProfile video,
        ImageProfile image,
        HlsProfile hls) {
}
