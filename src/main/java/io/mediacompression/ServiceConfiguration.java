package io.mediacompression;

import io.mediacompression.delivery.ClientStorage;
import io.mediacompression.delivery.LmsConfirmation;
import io.mediacompression.delivery.LmsCredentials;
import io.mediacompression.delivery.LocalDelivery;
import io.mediacompression.delivery.SftpSecrets;
import io.mediacompression.delivery.PackageUpload;
import io.mediacompression.delivery.StoreCallback;
import io.mediacompression.delivery.WebhookSignatures;
import io.mediacompression.http.Admission;
import io.mediacompression.http.ApiKeys;
import io.mediacompression.http.ApiTransport;
import io.mediacompression.http.BusinessPortEngine;
import io.mediacompression.http.HandshakeConfirmation;
import io.mediacompression.http.HttpAnswers;
import io.mediacompression.http.IdentityTokens;
import io.mediacompression.http.Intake;
import io.mediacompression.http.RouterErrors;
import io.mediacompression.http.UploadChunks;
import io.mediacompression.job.InMemoryJobStore;
import io.mediacompression.job.JobQueue;
import io.mediacompression.job.JobStore;
import io.mediacompression.job.LocalJobQueue;
import io.mediacompression.job.RedisJobQueue;
import io.mediacompression.job.RedisJobStore;
import io.mediacompression.job.ShutdownState;
import io.mediacompression.job.ProgressWatch;
import io.mediacompression.job.Worker;
import io.mediacompression.job.WorkDirSweep;
import io.mediacompression.media.Compression;
import io.mediacompression.media.FfmpegCommand;
import io.mediacompression.media.MediaFormat;
import io.mediacompression.ops.GracefulExec;
import io.mediacompression.ops.JobMetrics;
import io.mediacompression.ops.MeteredJobStore;
import io.mediacompression.ops.ReadinessChecks;
import io.mediacompression.ops.ReadinessMetric;
import io.mediacompression.upload.UploadReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.seda.QueueReference;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.TimeUtils;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the beans the routes call by name, in dependency order, from {@link ServiceSettings}. */
public class ServiceConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
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
        // The HTTP server's Vert.x: upload routes wait on a worker thread for the whole transfer, so there is room for
        // them beside /status, and request bodies arrive in 64 KB pieces (closed with the context: Camel closes only
        // a Vert.x instance it made itself). It serves no file from the class path, so it needs no cache directory
        // for them: Vert.x would make one in java.io.tmpdir and leave it there at every stop.
        VertxOptions vertxOptions = new VertxOptions().setWorkerPoolSize(64)
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false));
        // the API port's connections: TLS and mutual TLS when configured, the header timeout, the connection cap
        ApiTransport transport = new ApiTransport(Integer.parseInt(property(context, "camel.server.port")),
                settings.tls(), settings.headerTimeout(), settings.maxConnections(), settings.tlsReloadInterval(),
                Boolean.parseBoolean(property(context, "http.h2c")), meterRegistry(context));
        registry.bind("vertx", Vertx.class, UploadChunks.vertx(vertxOptions, UploadChunks.MAX_CHUNK_BYTES, transport),
                null, "close");
        // the routes' platform-http endpoints go on PORT, also when MANAGEMENT_PORT gives /observe a server of its own
        registry.bind("platform-http-engine", new BusinessPortEngine(Integer.parseInt(property(context, "camel.server.port"))));
        // the errors Vert.x answers itself, before any route runs (404, 405, 413), get the JSON error body too
        context.addStartupListener(new RouterErrors(Long.parseLong(property(context, "camel.server.maxBodySize"))));

        // identity tokens (OIDC_ISSUER): then API_KEYS is optional, and when both are set both are required
        Optional<IdentityTokens> identityTokens = property(context, "oidc.issuer").isEmpty() ? Optional.empty()
                : Optional.of(new IdentityTokens(property(context, "oidc.issuer"), property(context, "oidc.audience"),
                        property(context, "oidc.allowed-subjects"), settings.oidcJwksMinRefresh()));
        ApiKeys apiKeys = new ApiKeys(context.getPropertiesComponent().resolveProperty("api.apikey").orElse(""),
                property(context, "internal-service.keys"), identityTokens);
        // Operations: the job metrics join Camel's route metrics on the registry /observe/metrics serves
        MeterRegistry meterRegistry = meterRegistry(context);
        JobMetrics jobMetrics = new JobMetrics(meterRegistry, context, "queue-job", property(context, "ffmpeg.path"));
        // readiness as a gauge, and the free space of WORK_DIR (disk_free_bytes{path=...}) for the alert rules
        new ReadinessMetric(context).bindTo(meterRegistry);
        new DiskSpaceMetrics(settings.workDir().toFile()).bindTo(meterRegistry);
        context.getManagementStrategy().addEventNotifier(jobMetrics);
        ShutdownState shutdownState = new ShutdownState();
        context.getManagementStrategy().addEventNotifier(shutdownState);
        registry.bind("gracefulExec", new GracefulExec());
        Optional<RedissonClient> redis = settings.redisUrl().map(RedisJobStore::connect);
        long workMinFreeBytes = Long.parseLong(property(context, "work.min-free-mb")) * 1024 * 1024;
        HealthCheckRegistry.get(context).register(new ReadinessChecks(settings.workDir(), workMinFreeBytes, redis,
                shutdownState));
        JobStore store = jobStore(settings, redis);
        JobStore jobStore = new MeteredJobStore(store, jobMetrics);
        registry.bind("apiKeys", apiKeys);
        // a Redis store's client (connections, threads) is shut down with the context
        registry.bind("jobStore", JobStore.class, jobStore, null, "close");
        registry.bind("httpAnswers", new HttpAnswers(settings.retryAfter().toSeconds()));
        JobQueue jobQueue = jobQueue(context, settings, redis, jobStore, shutdownState);
        registry.bind("jobQueue", JobQueue.class, jobQueue);
        jobMetrics.watch(jobQueue);
        registry.bind("admission", new Admission(settings.workDir(), workMinFreeBytes, jobQueue, shutdownState,
                settings.retryAfter().toSeconds()));
        boolean storeCallbackSet = !context.getPropertiesComponent().resolveProperty("lms.store-url").orElse("").isBlank();
        registry.bind("intake", new Intake(jobStore, settings.retryAfter().toSeconds(), storeCallbackSet,
                settings.videoOutputs()));
        registry.bind("compressUploads", new UploadReceiver(settings.workDir(),
                EnumSet.of(MediaFormat.MP4, MediaFormat.MOV, MediaFormat.MKV,
                        MediaFormat.JPEG, MediaFormat.PNG, MediaFormat.WEBP),
                settings.videoMaxMb(), settings.imageMaxMb(), settings.uploadStallTimeout()));
        ProgressWatch progressWatch = new ProgressWatch(jobStore, settings.ffmpegStallTimeout(), Clock.systemUTC());
        registry.bind("progressWatch", progressWatch);
        registry.bind("worker", new Worker(jobStore,
                new Compression(new FfmpegCommand(settings.video(), settings.image(), settings.hls())), progressWatch, shutdownState,
                property(context, "ffmpeg.path"), property(context, "ffmpeg.probe-path"),
                Integer.parseInt(property(context, "ffmpeg.nice")), settings.instanceId()));
        registry.bind("localDelivery", new LocalDelivery(settings.outputDir(), jobStore));
        registry.bind("clientStorage", new ClientStorage(settings.sftp(), jobStore));
        // the SFTP secrets go into the sftp endpoint's configuration as written, never through its URI
        context.getCamelContextExtension().registerEndpointCallback(new SftpSecrets(
                RawSettings.value(context.getPropertiesComponent(), "sftp.password"),
                RawSettings.value(context.getPropertiesComponent(), "sftp.private-key-passphrase")));
        registry.bind("packageUpload", new PackageUpload(settings.sftp()));
        registry.bind("lmsConfirmation", new LmsConfirmation(jobStore));
        // credentials in the LMS URLs go as Basic authentication; the routes call the URLs without them
        LmsCredentials confirmCredentials = new LmsCredentials(RawSettings.value(context.getPropertiesComponent(),
                "client-confirm.url"));
        LmsCredentials storeCredentials = new LmsCredentials(RawSettings.value(context.getPropertiesComponent(),
                "lms.store-url"));
        context.getPropertiesComponent().addOverrideProperty("client-confirm.target.url", confirmCredentials.url());
        context.getPropertiesComponent().addOverrideProperty("lms.store.target.url", storeCredentials.url());
        registry.bind("confirmCredentials", confirmCredentials);
        registry.bind("storeCredentials", storeCredentials);
        registry.bind("videoUploads", new UploadReceiver(settings.workDir(),
                EnumSet.of(MediaFormat.MP4, MediaFormat.MOV, MediaFormat.MKV, MediaFormat.AVI),
                settings.videoMaxMb(), settings.imageMaxMb(), settings.uploadStallTimeout()));
        // the retries of the SFTP upload, the LMS confirmation and the store callback (routes/errors/)
        registry.bind("deliveryRetries", RedeliveryPolicy.class, settings.retry().redeliveryPolicy());
        StoreCallback storeCallback = new StoreCallback(jobStore, settings.retry().maxAttempts());
        registry.bind("storeCallback", storeCallback);
        // Standard Webhooks signatures on every call to the LMS, when WEBHOOK_SECRETS is set; retries sign again
        WebhookSignatures webhookSignatures = new WebhookSignatures(property(context, "webhook.secrets"), Clock.systemUTC());
        registry.bind("webhookSignatures", webhookSignatures);
        registry.bind("signWebhookAgain", (Processor) webhookSignatures::sign);
        registry.bind("storeCallbackRetrying", (Processor) exchange -> {
            storeCallback.retrying(exchange);
            webhookSignatures.sign(exchange);
        });
        registry.bind("handshakeConfirmation", new HandshakeConfirmation(jobStore, settings.workDir()));
        registry.bind("workDirSweep", new WorkDirSweep(settings.workDir(), jobStore, settings.handshakeTtl(),
                settings.orphanAge(), settings.staleAfter(), Clock.systemUTC(),
                settings.jobQueue() == ServiceSettings.QueueKind.REDIS));
        // the store URL may carry a token (only whether it is set is logged), REDIS_URL a password (masked)
        LOG.info("Started as instance {} with ROLE={} and JOB_QUEUE={}", settings.instanceId(),
                settings.role().name().toLowerCase(), settings.jobQueue().name().toLowerCase());
        LOG.info("Started with {} (job store: {}, handshake flow: {})",
                settings.toString().replaceAll("(rediss?://)[^@/\\s]*@", "$1***@"), store.getClass().getSimpleName(),
                storeCallbackSet ? "on" : "off, LMS_STORE_URL is not set");
    }

    private static JobStore jobStore(ServiceSettings settings, Optional<RedissonClient> redis) {
        return redis
                // an unconfirmed handshake whose instance is gone for good: its record goes once no live holder
                // can still be about to expire it, and as long after that as a finished job's
                .<JobStore>map(client -> new RedisJobStore(client, settings.jobRetention(),
                        settings.handshakeTtl().plus(settings.staleAfter()).plus(settings.jobRetention())))
                .orElseGet(() -> new InMemoryJobStore(settings.jobRetention(), Clock.systemUTC()));
    }

    /** The registry of camel-micrometer-prometheus, or a private one when metrics are off (camel.metrics.enabled). */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry found = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        return found != null ? found : new SimpleMeterRegistry();
    }

    /**
     * JOB_QUEUE: the seda queue `jobs` (null until the routes have created it), or the Redis Stream every instance
     * shares, whose consumer starts and stops with the context.
     */
    private static JobQueue jobQueue(CamelContext context, ServiceSettings settings, Optional<RedissonClient> redis,
                                     JobStore jobStore, ShutdownState shutdownState) throws Exception {
        if (settings.jobQueue() == ServiceSettings.QueueKind.LOCAL) {
            return new LocalJobQueue(() -> {
                // the component keys its queues by the normalised endpoint URI without options, not by the name
                QueueReference reference = context.getComponent("seda", SedaComponent.class)
                        .getQueueReference(LocalJobQueue.SEDA_KEY);
                return reference == null ? null : reference.getQueue();
            });
        }
        Duration heartbeat = Duration.parse("PT" + TimeUtils.toMilliSeconds(property(context, "jobs.sweep-interval"))
                / 1000.0 + "S");
        RedisJobQueue queue = new RedisJobQueue(redis.orElseThrow(), jobStore, context, shutdownState,
                settings.instanceId(), settings.workers(), settings.queueSize(), settings.staleAfter(), heartbeat,
                settings.role().works());
        context.addService(queue, true, true);
        return queue;
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("").trim();
    }
}
