package io.mediacompression.upload;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The direct-memory batches {@link PartWriter}s fill and write, kept for the next ones. A direct buffer costs a
 * zeroed allocation and is freed only when the garbage collector finds it, so a 500 MB upload that took a new one per
 * megabyte would hold direct memory the heap never asks to collect. At most {@code kept} idle batches stay; the
 * writers of several event loops share them.
 */
final class DirectBatches {

    private final int batchBytes;
    private final int kept;
    private final Queue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    DirectBatches(int batchBytes, int kept) {
        this.batchBytes = batchBytes;
        this.kept = kept;
    }

    /** An empty batch of {@code batchBytes}: an idle one, or a new one. */
    ByteBuffer take() {
        ByteBuffer batch = idle.poll();
        if (batch == null) {
            return ByteBuffer.allocateDirect(batchBytes);
        }
        idleCount.decrementAndGet();
        return batch.clear();
    }

    /** A batch nobody reads or writes any more; kept for the next {@link #take} unless enough are. */
    void give(ByteBuffer batch) {
        if (idleCount.incrementAndGet() <= kept) {
            idle.add(batch);
        } else {
            idleCount.decrementAndGet();
        }
    }
}
