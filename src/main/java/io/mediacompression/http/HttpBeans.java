package io.mediacompression.http;

import io.mediacompression.job.JobQueue;
import io.mediacompression.job.JobStore;
import io.mediacompression.job.ShutdownState;
import io.mediacompression.media.MediaFormat;
import io.mediacompression.upload.UploadReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.EnumSet;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;

/** The API port's server and the beans of the intake, status and handshake routes. */
public final class HttpBeans {

    private final HttpSettings settings;

    public HttpBeans(HttpSettings settings) {
        this.settings = settings;
    }

    /**
     * The HTTP server's Vert.x: upload routes wait on a worker thread for the whole transfer, so there is room for
     * them beside /status, and request bodies arrive in 64 KB pieces (closed with the context: Camel closes only a
     * Vert.x instance it made itself). It serves no file from the class path, so it needs no cache directory for
     * them: Vert.x would make one in java.io.tmpdir and leave it there at every stop. Its connections on the API
     * port: TLS and mutual TLS when configured, the header timeout, the connection cap.
     */
    @BindToRegistry(value = "vertx", destroyMethod = "close")
    public Vertx vertx(CamelContext context) {
        VertxOptions options = new VertxOptions().setWorkerPoolSize(64)
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false));
        ApiTransport transport = new ApiTransport(settings.port(), settings.tls(), settings.headerTimeout(),
                settings.maxConnections(), settings.tlsReloadInterval(), settings.h2c(), meterRegistry(context));
        return UploadChunks.vertx(options, UploadChunks.MAX_CHUNK_BYTES, transport);
    }

    /** The routes' platform-http endpoints go on PORT, also when MANAGEMENT_PORT gives /observe a server of its own. */
    @BindToRegistry("platform-http-engine")
    public BusinessPortEngine platformHttpEngine() {
        return new BusinessPortEngine(settings.port());
    }

    /** The errors Vert.x answers itself, before any route runs (404, 405, 413), get the JSON error body too. */
    @BindToRegistry
    public RouterErrors routerErrors(CamelContext context) throws Exception {
        RouterErrors errors = new RouterErrors(settings.maxBodyBytes());
        context.addStartupListener(errors);
        return errors;
    }

    /** API_KEYS, INTERNAL_SERVICE_KEYS and identity tokens (OIDC_ISSUER): when both are set both are required. */
    @BindToRegistry
    public ApiKeys apiKeys() {
        return new ApiKeys(settings.apiKeys(), settings.internalServiceKeys(), settings.oidc().map(oidc ->
                new IdentityTokens(oidc.issuer(), oidc.audience(), oidc.allowedSubjects(),
                        settings.oidcJwksMinRefresh())));
    }

    @BindToRegistry
    public HttpAnswers httpAnswers() {
        return new HttpAnswers(settings.retryAfter().toSeconds());
    }

    @BindToRegistry
    public Admission admission(JobQueue jobQueue, ShutdownState shutdown) {
        return new Admission(settings.workDir(), settings.workMinFreeBytes(), jobQueue, shutdown,
                settings.retryAfter().toSeconds());
    }

    @BindToRegistry
    public Intake intake(@BeanInject("jobStore") JobStore jobStore) {
        return new Intake(jobStore, settings.retryAfter().toSeconds(), settings.storeCallback(),
                settings.videoOutputs());
    }

    @BindToRegistry
    public UploadReceiver compressUploads() {
        return new UploadReceiver(settings.workDir(), EnumSet.of(MediaFormat.MP4, MediaFormat.MOV, MediaFormat.MKV,
                MediaFormat.JPEG, MediaFormat.PNG, MediaFormat.WEBP),
                settings.videoMaxMb(), settings.imageMaxMb(), settings.uploadStallTimeout());
    }

    @BindToRegistry
    public UploadReceiver videoUploads() {
        return new UploadReceiver(settings.workDir(), EnumSet.of(MediaFormat.MP4, MediaFormat.MOV, MediaFormat.MKV,
                MediaFormat.AVI), settings.videoMaxMb(), settings.imageMaxMb(), settings.uploadStallTimeout());
    }

    @BindToRegistry
    public HandshakeConfirmation handshakeConfirmation(@BeanInject("jobStore") JobStore jobStore) {
        return new HandshakeConfirmation(jobStore, settings.workDir());
    }

    /** The registry of camel-micrometer-prometheus, or a private one when metrics are off (camel.metrics.enabled). */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry found = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        return found != null ? found : new SimpleMeterRegistry();
    }
}
