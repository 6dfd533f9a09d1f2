package io.mediacompression;

import io.mediacompression.delivery.ClientStorage;
import io.mediacompression.delivery.LmsConfirmation;
import io.mediacompression.delivery.LocalDelivery;
import io.mediacompression.delivery.StoreCallback;
import io.mediacompression.http.ApiKeys;
import io.mediacompression.http.Confirmation;
import io.mediacompression.http.HttpAnswers;
import io.mediacompression.http.Intake;
import io.mediacompression.http.UploadReceiver;
import io.mediacompression.job.HandshakeSweep;
import io.mediacompression.job.InMemoryJobStore;
import io.mediacompression.job.JobStore;
import io.mediacompression.job.RedisJobStore;
import io.mediacompression.job.ProgressWatch;
import io.mediacompression.job.Worker;
import io.mediacompression.media.Compression;
import io.mediacompression.media.FfmpegCommand;
import io.mediacompression.media.MediaFormat;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.EnumSet;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
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
        settings.routeProperties().forEach(context.getPropertiesComponent()::addOverrideProperty);
        if (settings.sftp().enabled() && !settings.sftp().verifyHostKey()) {
            LOG.warn("SFTP host key verification is OFF (SFTP_STRICT_HOST_KEY_CHECKING=no): uploads go to whatever server "
                    + "answers at {}:{}, including an impostor", settings.sftp().host(), settings.sftp().port());
        }
        Files.createDirectories(settings.workDir());
        Files.createDirectories(settings.outputDir());

        Registry registry = context.getRegistry();
        // Upload routes wait on a Vert.x worker thread for the whole transfer: give them room beside /status
        registry.bind("vertxOptions", new VertxOptions().setWorkerPoolSize(64));

        ApiKeys apiKeys = new ApiKeys(context.getPropertiesComponent().resolveProperty("api.apikey").orElse(""));
        JobStore jobStore = jobStore(settings);
        registry.bind("apiKeys", apiKeys);
        registry.bind("jobStore", jobStore);
        registry.bind("httpAnswers", new HttpAnswers());
        boolean storeCallbackSet = !context.getPropertiesComponent().resolveProperty("lms.store-url").orElse("").isBlank();
        registry.bind("intake", new Intake(jobStore, settings.retryAfter().toSeconds(), storeCallbackSet));
        registry.bind("compressUploads", new UploadReceiver(settings.workDir(),
                EnumSet.of(MediaFormat.MP4, MediaFormat.MOV, MediaFormat.MKV,
                        MediaFormat.JPEG, MediaFormat.PNG, MediaFormat.WEBP),
                settings.videoMaxMb(), settings.imageMaxMb(), settings.uploadStallTimeout()));
        ProgressWatch progressWatch = new ProgressWatch(jobStore, settings.ffmpegStallTimeout(), Clock.systemUTC());
        registry.bind("progressWatch", progressWatch);
        registry.bind("worker", new Worker(jobStore,
                new Compression(new FfmpegCommand(settings.video(), settings.image())), progressWatch));
        registry.bind("localDelivery", new LocalDelivery(settings.outputDir(), jobStore));
        registry.bind("clientStorage", new ClientStorage(settings.sftp(), jobStore));
        registry.bind("lmsConfirmation", new LmsConfirmation(jobStore));
        registry.bind("videoUploads", new UploadReceiver(settings.workDir(),
                EnumSet.of(MediaFormat.MP4, MediaFormat.MOV, MediaFormat.MKV, MediaFormat.AVI),
                settings.videoMaxMb(), settings.imageMaxMb(), settings.uploadStallTimeout()));
        StoreCallback storeCallback = new StoreCallback(jobStore, settings.retry().maxAttempts());
        registry.bind("storeCallback", storeCallback);
        registry.bind("storeCallbackRetrying", (Processor) storeCallback::retrying);
        registry.bind("confirmation", new Confirmation(jobStore, settings.workDir()));
        registry.bind("handshakeSweep", new HandshakeSweep(settings.workDir(), jobStore, settings.handshakeTtl(),
                Clock.systemUTC()));
        // the store URL may carry a token: only whether it is set is logged
        LOG.info("Started with {} (job store: {}, handshake flow: {})", settings, jobStore.getClass().getSimpleName(),
                storeCallbackSet ? "on" : "off, LMS_STORE_URL is not set");
    }

    private static JobStore jobStore(ServiceSettings settings) {
        return settings.redisUrl()
                .<JobStore>map(url -> new RedisJobStore(RedisJobStore.connect(url), settings.jobRetention()))
                .orElseGet(() -> new InMemoryJobStore(settings.jobRetention(), Clock.systemUTC()));
    }
}
