package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.media.MediaFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandshakeSweepTest {

    private static final Duration TTL = Duration.ofHours(24);

    @TempDir
    Path workDir;

    private final InMemoryJobStore store = new InMemoryJobStore(Duration.ofDays(7), Clock.systemUTC());

    /** A handshake job of this instance: its directory with the staged upload, and the job as recorded. */
    private Job job(String videoId, JobState state, boolean marked) throws Exception {
        String jobId = UUID.randomUUID().toString();
        Path dir = Files.createDirectories(workDir.resolve(jobId));
        Path output = Files.writeString(dir.resolve(UUID.randomUUID() + ".mp4"), "compressed");
        Job job = Job.queuedForStore(jobId, videoId, "org", MediaFormat.MP4, dir.resolve("staged.mp4").toString())
                .compressedTo(output.toString()).inState(state);
        store.claim(job);
        store.update(job);
        if (marked) {
            JobDirectory.mark(job);
        }
        return job;
    }

    private static Path dir(Job job) {
        return Path.of(job.stagedFile()).getParent();
    }

    private HandshakeSweep sweepAt(Duration later) {
        return new HandshakeSweep(workDir, store, TTL, Clock.offset(Clock.systemUTC(), later));
    }

    @Test
    void keeps_a_job_awaiting_confirmation_within_the_ttl_and_expires_it_after() throws Exception {
        Job waiting = job("v1", JobState.AWAITING_CONFIRMATION, true);
        sweepAt(TTL.minusMinutes(1)).sweep();
        assertThat(dir(waiting)).exists();
        assertThat(store.find("v1")).get().extracting(Job::status).isEqualTo("awaiting_confirmation");

        sweepAt(TTL.plusSeconds(1)).sweep();
        assertThat(dir(waiting)).doesNotExist();
        assertThat(store.find("v1")).get().extracting(Job::status).isEqualTo("expired");
    }

    @Test
    void deletes_the_files_of_jobs_that_are_over_or_no_longer_this_one() throws Exception {
        Job confirmedElsewhere = job("v1", JobState.COMPLETED, true);
        Job failed = job("v2", JobState.FAILED, true);
        Job forgotten = job("v3", JobState.AWAITING_CONFIRMATION, true);
        store.release(forgotten);
        Job superseded = job("v4", JobState.AWAITING_CONFIRMATION, true);
        store.claim(Job.queuedForStore(UUID.randomUUID().toString(), "v4", "org", MediaFormat.MP4, "/elsewhere/x.mp4"));

        sweepAt(Duration.ZERO).sweep();

        assertThat(dir(confirmedElsewhere)).doesNotExist();
        assertThat(dir(failed)).doesNotExist();
        assertThat(dir(forgotten)).doesNotExist();
        assertThat(dir(superseded)).doesNotExist();
        assertThat(store.find("v4")).get().extracting(Job::status).isEqualTo("queued");
    }

    @Test
    void leaves_running_jobs_and_directories_without_a_marker_alone() throws Exception {
        Job running = job("v1", JobState.PROCESSING, true);
        Job uploading = job("v2", JobState.AWAITING_CONFIRMATION, false);
        Files.writeString(workDir.resolve("stray-file"), "not a job directory");

        sweepAt(TTL.multipliedBy(2)).sweep();

        assertThat(dir(running)).exists();
        assertThat(dir(uploading)).exists();
        assertThat(store.find("v2")).get().extracting(Job::status).isEqualTo("awaiting_confirmation");
    }

    @Test
    void a_marker_names_only_its_own_directory() throws Exception {
        Job job = job("v1", JobState.COMPLETED, true);
        Path copy = Files.createDirectories(workDir.resolve(UUID.randomUUID().toString()));
        Files.copy(dir(job).resolve(JobDirectory.MARKER), copy.resolve(JobDirectory.MARKER));
        assertThat(JobDirectory.read(copy)).isEmpty();
        assertThat(JobDirectory.read(dir(job))).contains(new JobDirectory.Marker("v1", job.jobId()));
    }
}
