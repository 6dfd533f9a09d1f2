package io.mediacompression.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartWriterTest {

    private final Vertx vertx = Vertx.vertx();
    private final DirectBatches batches = new DirectBatches(PartWriter.BATCH_BYTES, 2);

    @TempDir
    Path dir;

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void writes_pieces_of_any_size_to_the_file_in_order() throws Exception {
        byte[] content = new byte[5 * PartWriter.BATCH_BYTES + 12345];
        new Random(3).nextBytes(content);
        Path target = dir.resolve("part.mp4");
        CompletableFuture<Long> written = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            PartWriter writer = new PartWriter(vertx.createSharedWorkerExecutor("test-disk-writes"), batches, target, written::completeExceptionally);
            Random sizes = new Random(5);
            for (int at = 0; at < content.length; ) {
                int length = Math.min(content.length - at, 1 + sizes.nextInt(70_000));
                // the piece sits inside a larger array, as the parser's slices of a body piece do
                writer.add(ByteBuffer.wrap(content, at, length).slice());
                at += length;
            }
            writer.finish().onComplete(done -> {
                if (done.succeeded()) {
                    written.complete(done.result());
                } else {
                    written.completeExceptionally(done.cause());
                }
            });
        });

        assertThat(written.get(30, TimeUnit.SECONDS)).isEqualTo(content.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
    }

    @Test
    void reports_a_file_it_cannot_create_and_fails_to_finish() throws Exception {
        Path target = dir.resolve("gone").resolve("part.mp4");
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        CompletableFuture<Boolean> finished = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            PartWriter writer = new PartWriter(vertx.createSharedWorkerExecutor("test-disk-writes"), batches, target, reported::complete);
            writer.add(ByteBuffer.wrap(new byte[100_000]));
            writer.finish().onComplete(done -> finished.complete(done.succeeded()));
        });

        assertThat(reported.get(10, TimeUnit.SECONDS)).isInstanceOf(NoSuchFileException.class);
        assertThat(finished.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(target).doesNotExist();
    }
}
