package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.media.MediaFormat;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryJobStoreTest {

    private final InMemoryJobStore store = new InMemoryJobStore(Duration.ofDays(1), Clock.systemUTC());

    @Test
    void an_active_job_holds_its_media_id_until_it_finishes() {
        Job first = Job.queued("j1", "m1", MediaFormat.MP4, "/w/j1/x.mp4");
        assertThat(store.claim(first)).isEmpty();
        assertThat(store.claim(Job.queued("j2", "m1", MediaFormat.MP4, "/w/j2/x.mp4"))).contains(first);
        store.update(first.deliveredTo("/out/x.mp4").completed());
        assertThat(store.claim(Job.queued("j3", "m1", MediaFormat.MP4, "/w/j3/x.mp4"))).isEmpty();
        assertThat(store.find("m1")).get().extracting(Job::jobId).isEqualTo("j3");
    }

    @Test
    void an_update_from_an_older_job_does_not_overwrite_a_newer_one() {
        Job old = Job.queued("j1", "m1", MediaFormat.PNG, "/w/j1/x.png");
        store.claim(old);
        store.update(old.failed("boom"));
        store.claim(Job.queued("j2", "m1", MediaFormat.PNG, "/w/j2/x.png"));
        assertThat(store.update(old.deliveredTo("/late").completed())).isFalse();
        assertThat(store.find("m1")).get().extracting(Job::status).isEqualTo("queued");
    }

    @Test
    void a_conditional_update_applies_only_in_the_expected_state() {
        Job job = Job.queuedForStore("j1", "v1", "o1", MediaFormat.MP4, "/w/j1/x.mp4");
        store.claim(job);
        Job waiting = job.inState(JobState.AWAITING_CONFIRMATION);
        assertThat(store.updateIf(JobState.PROCESSING, waiting)).isFalse();
        store.update(waiting);
        assertThat(store.updateIf(JobState.AWAITING_CONFIRMATION, waiting.completed())).isTrue();
        // the expiry that lost the race to the confirmation changes nothing
        assertThat(store.updateIf(JobState.AWAITING_CONFIRMATION, waiting.inState(JobState.EXPIRED))).isFalse();
        assertThat(store.find("v1")).get().extracting(Job::status).isEqualTo("completed");
        assertThat(store.updateIf(JobState.COMPLETED, Job.queuedForStore("j2", "v1", "o1", MediaFormat.MP4, "/w/j2/x.mp4")
                .completed())).isFalse();
    }
}
