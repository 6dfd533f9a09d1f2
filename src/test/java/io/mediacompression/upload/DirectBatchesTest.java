package io.mediacompression.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DirectBatchesTest {

    @Test
    void hands_out_empty_direct_batches_and_keeps_only_as_many_idle_ones_as_told() {
        DirectBatches batches = new DirectBatches(1024, 2);
        ByteBuffer first = batches.take();
        ByteBuffer second = batches.take();
        ByteBuffer third = batches.take();
        assertThat(first.isDirect()).isTrue();
        assertThat(first.capacity()).isEqualTo(1024);

        first.put(new byte[300]).flip();
        batches.give(first);
        batches.give(second);
        batches.give(third);

        ByteBuffer again = batches.take();
        assertThat(again).isSameAs(first);
        assertThat(again.position()).isZero();
        assertThat(again.remaining()).isEqualTo(1024);
        assertThat(batches.take()).isSameAs(second);
        assertThat(batches.take()).isNotSameAs(third);
    }
}
