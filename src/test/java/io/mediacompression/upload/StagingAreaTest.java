package io.mediacompression.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.job.InMemoryJobStore;
import io.mediacompression.job.Job;
import io.mediacompression.media.MediaFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.UnitOfWorkHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingAreaTest {

    @TempDir
    Path workDir;

    @Test
    void the_copy_the_work_queue_gets_ending_first_neither_releases_the_claim_nor_deletes_the_upload() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Path directory = Files.createDirectory(workDir.resolve("job-1"));
            Job job = Job.queued("job-1", "m1", MediaFormat.PNG, directory.resolve("in.png").toString());
            InMemoryJobStore store = new InMemoryJobStore(Duration.ofDays(1), Clock.systemUTC());
            store.claim(job);
            Exchange intake = new DefaultExchange(context);
            // as every routed exchange has one: on-completions are kept, and handed over, by it
            intake.getExchangeExtension().setUnitOfWork(new DefaultUnitOfWork(intake));
            StagingArea area = StagingArea.open(intake, directory);
            area.claimed(job, store);

            // what seda (waitForTaskToComplete=Never) does with the exchange it queues, and the worker's end of it,
            // before intake has marked the job handed over
            Exchange queued = ExchangeHelper.createCorrelatedCopy(intake, true);
            UnitOfWorkHelper.doneSynchronizations(queued, queued.getExchangeExtension().handoverCompletions());
            assertThat(store.find("m1")).contains(job);
            assertThat(directory).exists();

            // the HTTP exchange's own end still cleans up an upload that was never handed over
            intake.getUnitOfWork().done(intake);
            assertThat(store.find("m1")).isEmpty();
            assertThat(directory).doesNotExist();
        }
    }
}
