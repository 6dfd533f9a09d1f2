package io.mediacompression.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * Writes one uploaded file part to disk as it arrives. The pieces the parser hands on (a few KB each) are
 * gathered into large direct-memory batches, so a 500 MB upload is a few hundred file writes instead of tens of
 * thousands and is never copied through the heap. At most {@link #IN_FLIGHT_BYTES} wait for the disk: beyond
 * that {@link #full()} asks the caller to stop reading. Used on one event loop only.
 */
final class PartWriter {

    static final int BATCH_BYTES = 1024 * 1024;
    static final int IN_FLIGHT_BYTES = 4 * BATCH_BYTES;

    private final Queue<ByteBuf> waitingForOpen = new ArrayDeque<>();
    private final Consumer<Throwable> onFailure;
    private final Future<AsyncFile> opened;
    private ByteBuf batch;
    private long written;
    private boolean aborted;
    private boolean sentSinceAsked;

    /**
     * Creates the file (it must not exist yet: a late open into a deleted staging directory fails). A file that
     * cannot be opened or written is reported to {@code onFailure}, once.
     */
    PartWriter(Vertx vertx, Path target, Consumer<Throwable> onFailure) {
        this.onFailure = onFailure;
        this.opened = vertx.fileSystem().open(target.toString(), new OpenOptions().setCreateNew(true).setWrite(true))
                .onSuccess(file -> {
                    file.setWriteQueueMaxSize(IN_FLIGHT_BYTES);
                    if (aborted) {
                        file.close();
                        return;
                    }
                    while (!waitingForOpen.isEmpty()) {
                        write(file, waitingForOpen.poll());
                    }
                })
                .onFailure(e -> {
                    abort();
                    onFailure.accept(e);
                });
    }

    /** Bytes taken so far. */
    long size() {
        return written;
    }

    /** Takes a piece of the part; the piece is copied, the caller keeps it. */
    void add(ByteBuf piece) {
        written += piece.readableBytes();
        while (piece.isReadable()) {
            if (batch == null) {
                batch = PooledByteBufAllocator.DEFAULT.directBuffer(BATCH_BYTES, BATCH_BYTES);
            }
            batch.writeBytes(piece, Math.min(piece.readableBytes(), batch.writableBytes()));
            if (!batch.isWritable()) {
                send();
            }
        }
    }

    /** Whether the caller should stop reading until {@link #whenWritable} calls back. */
    boolean full() {
        if (!opened.succeeded()) {
            return true;
        }
        // the queue only grows when a batch is sent: no need to ask the file after every small piece
        boolean sent = sentSinceAsked;
        sentSinceAsked = false;
        return sent && opened.result().writeQueueFull();
    }

    /** Calls back once the file is open and its writes have drained below half the limit. */
    void whenWritable(Runnable resume) {
        opened.onSuccess(file -> {
            if (file.writeQueueFull()) {
                file.drainHandler(v -> resume.run());
            } else {
                resume.run();
            }
        });
    }

    /** Writes what is left and closes the file; fails if the file could not be opened or written. */
    Future<Long> finish() {
        send();
        Promise<Long> closed = Promise.promise();
        opened.compose(AsyncFile::close).onComplete(done -> {
            if (done.succeeded()) {
                closed.complete(written);
            } else {
                closed.fail(done.cause());
            }
        });
        return closed.future();
    }

    /** Drops what was not written yet and closes the file; the caller deletes it. Safe to call twice. */
    void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        release(batch);
        batch = null;
        waitingForOpen.forEach(PartWriter::release);
        waitingForOpen.clear();
        if (opened.succeeded()) {
            opened.result().close();
        }
    }

    private void send() {
        if (batch == null || !batch.isReadable() || aborted) {
            return;
        }
        ByteBuf full = batch;
        batch = null;
        if (opened.succeeded()) {
            write(opened.result(), full);
            sentSinceAsked = true;
        } else {
            waitingForOpen.add(full);
        }
    }

    // Buffer.buffer(ByteBuf) wraps without copying; it is deprecated in Vert.x 4.5 (gone in 5) but current here.
    @SuppressWarnings("deprecation")
    private void write(AsyncFile file, ByteBuf full) {
        file.write(Buffer.buffer(full)).onComplete(done -> {
            release(full);
            if (done.failed() && !aborted) {
                abort();
                onFailure.accept(done.cause());
            }
        });
    }

    private static void release(ByteBuf buffer) {
        if (buffer != null && buffer.refCnt() > 0) {
            buffer.release();
        }
    }
}
