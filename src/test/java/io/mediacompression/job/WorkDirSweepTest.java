package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.media.MediaFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkDirSweepTest {

    private static final Duration TTL = Duration.ofHours(24);
    private static final Duration ORPHAN_AGE = Duration.ofHours(6);
    private static final Duration STALE_AFTER = Duration.ofMinutes(5);

    @TempDir
    Path workDir;

    private InMemoryJobStore store = new InMemoryJobStore(Duration.ofDays(7), Clock.systemUTC());

    /** A job of this instance: its directory with the staged upload and its marker, and the job as recorded. */
    private Job job(String id, JobState state, boolean marked) throws Exception {
        String jobId = UUID.randomUUID().toString();
        Path dir = Files.createDirectories(workDir.resolve(jobId));
        Path staged = Files.writeString(dir.resolve(UUID.randomUUID() + ".mp4"), "upload");
        Job queued = Job.queuedForStore(jobId, id, "org", MediaFormat.MP4, staged.toString());
        if (marked) {
            JobDirectory.mark(queued);
        }
        Path output = Files.writeString(dir.resolve(UUID.randomUUID() + ".mp4"), "compressed");
        Job job = queued.compressedTo(output.toString()).inState(state);
        store.claim(job);
        store.update(job);
        return job;
    }

    private static Path dir(Job job) {
        return Path.of(job.stagedFile()).getParent();
    }

    private WorkDirSweep sweeperAt(Duration later) throws Exception {
        WorkDirSweep sweep = new WorkDirSweep(workDir, store, TTL, ORPHAN_AGE, STALE_AFTER,
                Clock.offset(Clock.systemUTC(), later));
        sweep.recover();
        return sweep;
    }

    @Test
    void keeps_a_job_awaiting_confirmation_within_the_ttl_and_expires_it_after() throws Exception {
        Job waiting = job("v1", JobState.AWAITING_CONFIRMATION, true);
        sweeperAt(TTL.minusMinutes(1)).sweep();
        assertThat(dir(waiting)).exists();
        assertThat(store.find("v1")).get().extracting(Job::status).isEqualTo("awaiting_confirmation");

        sweeperAt(TTL.plusSeconds(1)).sweep();
        assertThat(dir(waiting)).doesNotExist();
        assertThat(store.find("v1")).get().extracting(Job::status).isEqualTo("expired");
    }

    @Test
    void deletes_the_files_of_jobs_that_are_over_or_no_longer_this_one() throws Exception {
        WorkDirSweep sweep = sweeperAt(Duration.ZERO);
        Job confirmedElsewhere = job("v1", JobState.COMPLETED, true);
        Job failed = job("v2", JobState.FAILED, true);
        Job forgotten = job("v3", JobState.AWAITING_CONFIRMATION, true);
        store.release(forgotten);
        Job superseded = job("v4", JobState.AWAITING_CONFIRMATION, true);
        store.claim(Job.queuedForStore(UUID.randomUUID().toString(), "v4", "org", MediaFormat.MP4, "/elsewhere/x.mp4"));

        sweep.sweep();

        assertThat(dir(confirmedElsewhere)).doesNotExist();
        assertThat(dir(failed)).doesNotExist();
        assertThat(dir(forgotten)).doesNotExist();
        assertThat(dir(superseded)).doesNotExist();
        assertThat(store.find("v4")).get().extracting(Job::status).isEqualTo("queued");
    }

    @Test
    void leaves_running_jobs_and_young_directories_without_a_marker_alone() throws Exception {
        WorkDirSweep sweep = sweeperAt(ORPHAN_AGE.minusHours(1));
        Job running = job("v1", JobState.PROCESSING, true);
        Job uploading = job("v2", JobState.AWAITING_CONFIRMATION, false);
        Files.writeString(workDir.resolve("stray-file"), "not a job directory");

        sweep.sweep();

        assertThat(dir(running)).exists();
        assertThat(dir(uploading)).exists();
        assertThat(store.find("v2")).get().extracting(Job::status).isEqualTo("awaiting_confirmation");
    }

    @Test
    void removes_a_directory_without_a_job_once_it_is_older_than_the_orphan_age() throws Exception {
        WorkDirSweep sweep = sweeperAt(Duration.ZERO);
        Path young = Files.createDirectories(workDir.resolve(UUID.randomUUID().toString()));
        Path old = Files.createDirectories(workDir.resolve(UUID.randomUUID().toString()));
        Files.writeString(old.resolve("partial-upload"), "cut off");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(ORPHAN_AGE).minusSeconds(60)));

        sweep.sweep();

        assertThat(young).exists();
        assertThat(old).doesNotExist();
    }

    @Test
    void a_marker_names_only_its_own_directory() throws Exception {
        Job job = job("v1", JobState.COMPLETED, true);
        Path copy = Files.createDirectories(workDir.resolve(UUID.randomUUID().toString()));
        Files.copy(dir(job).resolve(JobDirectory.MARKER), copy.resolve(JobDirectory.MARKER));
        assertThat(JobDirectory.read(copy)).isEmpty();
        assertThat(JobDirectory.read(dir(job))).get().extracting(Job::mediaId, Job::jobId)
                .containsExactly("v1", job.jobId());
    }

    @Test
    void recovery_queues_again_what_was_queued_or_processing_and_drops_the_rest() throws Exception {
        Job processing = job("v1", JobState.PROCESSING, true);
        Job done = job("v2", JobState.COMPLETED, true);
        Job waiting = job("v3", JobState.AWAITING_CONFIRMATION, true);
        Path cutOffUpload = Files.createDirectories(workDir.resolve(UUID.randomUUID().toString()));

        WorkDirSweep sweep = new WorkDirSweep(workDir, store, TTL, ORPHAN_AGE, STALE_AFTER, Clock.systemUTC());
        assertThat(sweep.recover()).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo(processing.jobId());
            assertThat(job.state()).isEqualTo(JobState.QUEUED);
        });
        assertThat(store.find("v1")).get().extracting(Job::status).isEqualTo("queued");
        assertThat(dir(processing)).exists();
        assertThat(dir(done)).doesNotExist();
        assertThat(dir(waiting)).exists();
        assertThat(cutOffUpload).doesNotExist();
    }

    @Test
    void recovery_leaves_alone_a_job_taken_in_since_start_up() throws Exception {
        // the HTTP routes take uploads from the moment they start, and recovery may run a moment later: a job this run
        // accepted is on the queue already, and queued twice it was compressed twice
        WorkDirSweep sweep = new WorkDirSweep(workDir, store, TTL, ORPHAN_AGE, STALE_AFTER, Clock.systemUTC());
        Job accepted = job("v1", JobState.QUEUED, true);

        assertThat(sweep.recover()).isEmpty();
        assertThat(dir(accepted)).exists();
        assertThat(store.find("v1")).get().extracting(Job::jobId).isEqualTo(accepted.jobId());
    }

    @Test
    void recovery_claims_again_the_jobs_an_in_memory_store_forgot_in_a_restart() throws Exception {
        Job queued = job("v1", JobState.QUEUED, true);
        store = new InMemoryJobStore(Duration.ofDays(7), Clock.systemUTC());

        WorkDirSweep sweep = new WorkDirSweep(workDir, store, TTL, ORPHAN_AGE, STALE_AFTER, Clock.systemUTC());
        assertThat(sweep.recover()).extracting(Job::jobId).containsExactly(queued.jobId());
        assertThat(store.find("v1")).get().extracting(Job::jobId).isEqualTo(queued.jobId());
    }

    @Test
    void recovery_drops_a_forgotten_job_whose_upload_is_gone() throws Exception {
        Job waiting = job("v1", JobState.AWAITING_CONFIRMATION, true);
        // as the job's clean-up leaves a handshake job: its compressed file and its marker only
        Files.delete(Path.of(waiting.stagedFile()));
        store = new InMemoryJobStore(Duration.ofDays(7), Clock.systemUTC());

        WorkDirSweep sweep = new WorkDirSweep(workDir, store, TTL, ORPHAN_AGE, STALE_AFTER, Clock.systemUTC());
        assertThat(sweep.recover()).isEmpty();
        assertThat(store.find("v1")).isEmpty();
        assertThat(dir(waiting)).doesNotExist();
    }

    @Test
    void fails_a_job_nobody_has_vouched_for_within_the_stale_time_as_interrupted() throws Exception {
        Job held = job("v1", JobState.PROCESSING, true);
        // a job of a vanished instance: in the store, but no directory here to vouch for it
        store.claim(Job.queued(UUID.randomUUID().toString(), "v2", MediaFormat.MP4, "/gone/x.mp4"));

        sweeperAt(Duration.ZERO).sweep();
        assertThat(store.find("v2")).get().extracting(Job::status).isEqualTo("queued");

        sweeperAt(STALE_AFTER.plusMinutes(1)).sweep();
        assertThat(store.find("v2")).get().extracting(Job::status).isEqualTo("failed: interrupted");
        assertThat(store.find("v1")).get().extracting(Job::jobId).isEqualTo(held.jobId());
    }
}
