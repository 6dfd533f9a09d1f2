package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 400 MB upload through /video/receive is streamed to disk: the service (running in this JVM) holds no more of it in
 * its heap than a few buffers. The heap is sampled after forced collections, so what is measured is what stays
 * reachable while the upload is going on, not garbage waiting to be collected.
 */
class VideoReceiveHeapTest {

    private static final long MB = 1024 * 1024;

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application()
            .with("jobs.workers", "1")
            .withLms("lms.store-url", "/store");

    @TempDir
    Path root;

    private RunningService service;

    @Test
    void a_400_mb_upload_keeps_the_heap_flat() throws Exception {
        // an MP4 head (ftyp) then zeros, sparse on disk: accepted by type, then refused by ffprobe at once
        Path big = root.resolve("big.mp4");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
                'i', 's', 'o', 'm', 'm', 'p', '4', '1'});
            f.setLength(400 * MB);
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = usedAfterGc(memory);
        AtomicLong peak = new AtomicLong(baseline);
        // the heap sampled while the upload runs, 100 ms after each sample's full GC has ended
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> peak.accumulateAndGet(usedAfterGc(memory), Math::max), 0, 100,
                TimeUnit.MILLISECONDS);
        HttpResponse<String> answer;
        try {
            answer = service.uploadTo("/video/receive", Map.of("X-Internal-Service-Key", RunningService.KEY),
                    big, "big.mp4", "video_id", "big-1", "organization_id", "org-1");
        } finally {
            sampler.shutdown();
            assertThat(sampler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(peak.get() - baseline).as("heap growth during the upload, in MB: %d",
                (peak.get() - baseline) / MB).isLessThan(100 * MB);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
