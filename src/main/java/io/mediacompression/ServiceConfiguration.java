package io.mediacompression;

import io.mediacompression.http.ApiKeys;
import io.mediacompression.http.HttpAnswers;
import io.mediacompression.http.Intake;
import io.mediacompression.http.UploadReceiver;
import io.mediacompression.job.InMemoryJobStore;
import io.mediacompression.job.JobStore;
import io.mediacompression.job.RedisJobStore;
import io.mediacompression.job.Worker;
import io.mediacompression.media.MediaFormat;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.EnumSet;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the beans the routes call by name, in dependency order, from {@link ServiceSettings}. */
public class ServiceConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceConfiguration.class);

    @Override
    public void configure(CamelContext context) throws IOException {
        ServiceSettings settings = ServiceSettings.from(context.getPropertiesComponent());
        // the routes read the effective worker count as a placeholder
        context.getPropertiesComponent().addOverrideProperty("jobs.workers", Integer.toString(settings.workers()));
        Files.createDirectories(settings.workDir());
        Files.createDirectories(settings.outputDir());

        Registry registry = context.getRegistry();
        // Upload routes wait on a Vert.x worker thread for the whole transfer: give them room beside /status
        registry.bind("vertxOptions", new VertxOptions().setWorkerPoolSize(64));

        ApiKeys apiKeys = new ApiKeys(context.getPropertiesComponent().resolveProperty("api.apikey").orElse(""));
        JobStore jobStore = jobStore(settings);
        registry.bind("apiKeys", apiKeys);
        // a Redis store's client (connections, threads) is shut down with the context
        registry.bind("jobStore", JobStore.class, jobStore, null, jobStore instanceof AutoCloseable ? "close" : null);
        registry.bind("httpAnswers", new HttpAnswers());
        registry.bind("intake", new Intake(jobStore, settings.retryAfter().toSeconds()));
        registry.bind("compressUploads", new UploadReceiver(settings.workDir(),
                EnumSet.of(MediaFormat.MP4, MediaFormat.MOV, MediaFormat.MKV,
                        MediaFormat.JPEG, MediaFormat.PNG, MediaFormat.WEBP),
                settings.videoMaxMb(), settings.imageMaxMb(), settings.uploadStallTimeout()));
        registry.bind("worker", new Worker(jobStore));
        LOG.info("Started with {} (job store: {})", settings, jobStore.getClass().getSimpleName());
    }

    private static JobStore jobStore(ServiceSettings settings) {
        return settings.redisUrl()
                .<JobStore>map(url -> new RedisJobStore(RedisJobStore.connect(url), settings.jobRetention()))
                .orElseGet(() -> new InMemoryJobStore(settings.jobRetention(), Clock.systemUTC()));
    }
}
