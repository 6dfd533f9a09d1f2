package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.job.Job;
import io.mediacompression.media.MediaFormat;
import io.mediacompression.support.MultipartBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCallbackTest {

    @TempDir
    Path dir;

    private Job compressed(Path output) {
        return Job.queuedForStore("3f1c2d4e-0000-4000-8000-000000000001", "vid-1", "org-7", MediaFormat.AVI,
                dir.resolve("staged.avi").toString()).compressedTo(output.toString());
    }

    @Test
    void the_request_is_a_repeatable_form_that_sends_the_whole_file_each_time() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Path output = Files.write(dir.resolve("0b6e7f2a-1111-4222-8333-444455556666.mp4"), content);
        HttpEntity entity = StoreCallback.entity(compressed(output));

        assertThat(entity.isRepeatable()).isTrue();
        assertThat(entity.isStreaming()).isFalse();
        assertThat(entity.isChunked()).isFalse();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        entity.writeTo(first);
        entity.writeTo(second);
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
        assertThat(entity.getContentLength()).isEqualTo(first.size());

        MultipartBody form = MultipartBody.parse(entity.getContentType(), first.toByteArray());
        assertThat(entity.getContentType()).doesNotContain("charset");
        assertThat(form.part("video_id").text()).isEqualTo("vid-1");
        assertThat(form.part("organization_id").text()).isEqualTo("org-7");
        assertThat(form.part("file").filename()).isEqualTo("0b6e7f2a-1111-4222-8333-444455556666.mp4");
        assertThat(form.part("file").headers()).contains("Content-Type: video/mp4");
        assertThat(form.part("file").content()).isEqualTo(content);
    }

    @Test
    void the_request_streams_a_big_file_from_disk() throws Exception {
        Path output = dir.resolve("big.mp4");
        try (RandomAccessFile f = new RandomAccessFile(output.toFile(), "rw")) {
            f.setLength(256L * 1024 * 1024);
        }
        HttpEntity entity = StoreCallback.entity(compressed(output));
        long[] written = new long[1];
        long[] largestWrite = new long[1];
        entity.writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
                largestWrite[0] = Math.max(largestWrite[0], len);
            }
        });
        assertThat(written[0]).isEqualTo(entity.getContentLength()).isGreaterThan(256L * 1024 * 1024);
        assertThat(largestWrite[0]).isLessThanOrEqualTo(64 * 1024);
    }

    @Test
    void a_failure_reason_is_short_and_names_no_url() {
        assertThat(StoreCallback.reason(new HttpOperationFailedException("http://lms/store?token=secret", 502,
                "Bad Gateway", null, null, null))).isEqualTo("the LMS store answered HTTP 502");
        assertThat(StoreCallback.reason(new ConnectException("Connection refused: lms:443")))
                .isEqualTo("the LMS store could not be reached");
        assertThat(StoreCallback.reason(new IOException("Read timed out"))).isEqualTo("the LMS store could not be reached");
        assertThat(StoreCallback.reason(new IllegalStateException("/work/x"))).isEqualTo("internal error");
    }
}
