package io.mediacompression.upload;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * Writes one uploaded file part to disk as it arrives. The pieces the parser hands on (up to 64 KB each) are
 * gathered into large direct-memory batches (reused through {@link DirectBatches}), so a 500 MB upload is a few
 * hundred hand-overs to a worker thread instead of tens of thousands, and the file channel writes them with no
 * further copy (a heap buffer is copied to a direct one first). The batches are written one after the other:
 * parallel writes to one file only contend for its lock in the kernel. At most {@link #WAITING_BYTES} wait for the
 * disk; beyond that {@link #full()} asks the caller to stop reading. Used on one event loop only.
 */
final class PartWriter {

    static final int BATCH_BYTES = 1024 * 1024;
    static final int WAITING_BYTES = 4 * BATCH_BYTES;

    /**
     * The most one write system call takes. Linux caches a larger write in larger page-cache folios, taken from the
     * kernel's high-order free lists; a VM that hands free memory back to its host (free page reporting) has that
     * memory there, and the host faults it in again on the first write. On the bench VM (2026-11-25), writing 480 MiB
     * after 4 idle seconds took 0.09-0.46 s in 64 KB calls, 0.28-0.68 s in 256 KB calls and 0.70-0.88 s in 1 MB
     * calls, more as the VM ran longer; warm, 0.09 s with any of them. See bench/RESULTS.md.
     */
    static final int WRITE_BYTES = 64 * 1024;

    private final Queue<ByteBuffer> toWrite = new ArrayDeque<>();
    private final DirectBatches batches;
    private final Consumer<Throwable> onFailure;
    private final WorkerExecutor disk;
    private final Future<FileChannel> opened;
    private final Promise<Void> drained = Promise.promise();
    private ByteBuffer batch;
    private long taken;
    private int waiting;
    private boolean writing;
    private boolean finishing;
    private boolean aborted;
    private Runnable onWritable;

    /**
     * Creates the file (it must not exist yet: a late open into a deleted staging directory fails). A file that
     * cannot be opened or written is reported to {@code onFailure}, once. The file is opened, written and closed on
     * {@code disk}'s threads.
     */
    PartWriter(WorkerExecutor disk, DirectBatches batches, Path target, Consumer<Throwable> onFailure) {
        this.disk = disk;
        this.batches = batches;
        this.onFailure = onFailure;
        this.opened = disk.executeBlocking(() -> FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), false);
        // attached after the assignment: an open that completes at once runs these before the constructor returns
        opened.onSuccess(file -> {
            if (aborted) {
                close(file);
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
    void add(ByteBuffer piece) {
        taken += piece.remaining();
        while (piece.hasRemaining()) {
            if (batch == null) {
                batch = batches.take();
            }
            int end = piece.limit();
            piece.limit(piece.position() + Math.min(piece.remaining(), batch.remaining()));
            batch.put(piece);
            piece.limit(end);
            if (!batch.hasRemaining()) {
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
                .compose(this::close)
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
        toWrite.forEach(this::release);
        toWrite.clear();
        drained.tryFail("The upload was refused");
        if (opened.succeeded() && !writing) {
            close(opened.result());
        }
    }

    private void send() {
        if (batch == null || batch.position() == 0 || aborted) {
            return;
        }
        waiting += batch.flip().remaining();
        toWrite.add(batch);
        batch = null;
        writeNext();
    }

    private void writeNext() {
        if (writing || aborted || !opened.succeeded() || toWrite.isEmpty()) {
            return;
        }
        ByteBuffer next = toWrite.poll();
        int size = next.remaining();
        FileChannel file = opened.result();
        writing = true;
        disk.executeBlocking(() -> write(file, next), false).onComplete(done -> {
            writing = false;
            waiting -= size;
            release(next);
            if (aborted) {
                close(file);
                return;
            }
            if (done.failed()) {
                fail(done.cause()); // aborts, which closes the file
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

    /** Writes all of {@code data} at the file's position, at most {@link #WRITE_BYTES} per system call. */
    private static Void write(FileChannel file, ByteBuffer data) throws IOException {
        int end = data.limit();
        while (data.position() < end) {
            data.limit(Math.min(end, data.position() + WRITE_BYTES));
            while (data.hasRemaining()) {
                file.write(data);
            }
        }
        return null;
    }

    private Future<Void> close(FileChannel file) {
        return disk.executeBlocking(() -> {
            file.close();
            return null;
        }, false);
    }

    private void fail(Throwable cause) {
        if (!aborted) {
            abort();
            onFailure.accept(cause);
        }
    }

    private void release(ByteBuffer buffer) {
        if (buffer != null) {
            batches.give(buffer);
        }
    }
}
