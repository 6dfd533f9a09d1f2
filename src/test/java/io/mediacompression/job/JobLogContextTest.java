package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.media.MediaFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JobLogContextTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void names_the_job_for_a_block_and_then_no_job() {
        try (JobLogContext ignored = JobLogContext.of("abc123")) {
            assertThat(MDC.get("mediaId")).isEqualTo("abc123");
        }
        assertThat(MDC.get("mediaId")).isNull();
    }

    @Test
    void a_block_inside_a_jobs_exchange_gives_the_thread_back_to_that_job() {
        MDC.put("mediaId", "running");
        try (JobLogContext ignored = JobLogContext.of("other")) {
            assertThat(MDC.get("mediaId")).isEqualTo("other");
        }
        assertThat(MDC.get("mediaId")).isEqualTo("running");
    }

    @Test
    void a_block_left_by_an_exception_clears_the_name_too() {
        try (JobLogContext ignored = JobLogContext.of("abc123")) {
            throw new IllegalStateException("failed");
        } catch (IllegalStateException expected) {
            assertThat(MDC.get("mediaId")).isNull();
        }
    }

    @Test
    void leave_ends_the_name_an_exchange_entered() {
        JobLogContext.enter(Job.queued("j1", "abc123", MediaFormat.MP4, "/w/j1/x.mp4"));
        assertThat(MDC.get("mediaId")).isEqualTo("abc123");
        JobLogContext.leave();
        assertThat(MDC.get("mediaId")).isNull();
    }
}
