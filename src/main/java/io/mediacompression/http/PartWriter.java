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
 * thousands and is never copied through the heap. The batches are written one after the other: parallel writes
 * to one file only contend for its lock in the kernel. At most {@link #WAITING_BYTES} wait for the disk; beyond
 * that {@link #full()} asks the caller to stop reading. Used on one event loop only.
 */
final class PartWriter {

    static final int BATCH_BYTES = 1024 * 1024;
    static final int WAITING_BYTES = 4 * BATCH_BYTES;

    private final Queue<ByteBuf> toWrite = new ArrayDeque<>();
    private final Consumer<Throwable> onFailure;
    private final Future<AsyncFile> opened;
    private final Promise<Void> drained = Promise.promise();
    private ByteBuf batch;
    private long taken;
    private int waiting;
    private boolean writing;
    private boolean finishing;
    private boolean aborted;
    private Runnable onWritable;

    /**
     * Creates the file (it must not exist yet: a late open into a deleted staging directory fails). A file that
     * cannot be opened or written is reported to {@code onFailure}, once.
     */
    PartWriter(Vertx vertx, Path target, Consumer<Throwable> onFailure) {
        this.onFailure = onFailure;
        this.opened = vertx.fileSystem().open(target.toString(), new OpenOptions().setCreateNew(true).setWrite(true));
        // attached after the assignment: an open that completes at once runs these before the constructor returns
        opened.onSuccess(file -> {
            if (aborted) {
                file.close();
            } else {
                writeNext();
            }
        }).onFailure(this::fail);
    }

    /** Bytes taken so far. */
    long size() {
        return taken;
    }

    /** Takes a piece of the part; the piece is copied, the caller keeps it. */
    void add(ByteBuf piece) {
        taken += piece.readableBytes();
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
        return waiting >= WAITING_BYTES;
    }

    /** Calls back once no more than half of {@link #WAITING_BYTES} wait for the disk. */
    void whenWritable(Runnable resume) {
        if (waiting <= WAITING_BYTES / 2) {
            resume.run();
        } else {
            onWritable = resume;
        }
    }

    /** Writes what is left and closes the file; fails if the file could not be opened or written. */
    Future<Long> finish() {
        send();
        finishing = true;
        if (toWrite.isEmpty() && !writing) {
            drained.tryComplete();
        }
        return drained.future()
                .compose(v -> opened)
                .compose(AsyncFile::close)
                .map(v -> taken);
    }

    /** Drops what was not written yet and closes the file; the caller deletes it. Safe to call twice. */
    void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        release(batch);
        batch = null;
        toWrite.forEach(PartWriter::release);
        toWrite.clear();
        drained.tryFail("The upload was refused");
        if (opened.succeeded() && !writing) {
            opened.result().close();
        }
    }

    private void send() {
        if (batch == null || !batch.isReadable() || aborted) {
            return;
        }
        waiting += batch.readableBytes();
        toWrite.add(batch);
        batch = null;
        writeNext();
    }

    // Buffer.buffer(ByteBuf) wraps without copying; it is deprecated in Vert.x 4.5 (gone in 5) but current here.
    @SuppressWarnings("deprecation")
    private void writeNext() {
        if (writing || aborted || !opened.succeeded() || toWrite.isEmpty()) {
            return;
        }
        ByteBuf next = toWrite.poll();
        int size = next.readableBytes();
        writing = true;
        opened.result().write(Buffer.buffer(next)).onComplete(done -> {
            writing = false;
            waiting -= size;
            release(next);
            if (aborted) {
                opened.result().close();
                return;
            }
            if (done.failed()) {
                fail(done.cause());
                opened.result().close();
                return;
            }
            if (onWritable != null && waiting <= WAITING_BYTES / 2) {
                Runnable resume = onWritable;
                onWritable = null;
                resume.run();
            }
            if (finishing && toWrite.isEmpty()) {
                drained.tryComplete();
            }
            writeNext();
        });
    }

    private void fail(Throwable cause) {
        if (!aborted) {
            abort();
            onFailure.accept(cause);
        }
    }

    private static void release(ByteBuf buffer) {
        if (buffer != null && buffer.refCnt() > 0) {
            buffer.release();
        }
    }
}
