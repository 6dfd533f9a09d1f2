package io.mediacompression.delivery;

import io.mediacompression.job.JobStore;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

/** Delivery to OUTPUT_DIR or the client's SFTP storage, the LMS confirmation and the handshake store callback. */
public final class DeliveryBeans {

    private final DeliverySettings settings;

    public DeliveryBeans(DeliverySettings settings) {
        this.settings = settings;
    }

    @BindToRegistry
    public LocalDelivery localDelivery(@BeanInject("jobStore") JobStore jobStore) {
        return new LocalDelivery(settings.outputDir(), jobStore);
    }

    @BindToRegistry
    public ClientStorage clientStorage(@BeanInject("jobStore") JobStore jobStore) {
        return new ClientStorage(settings.sftp(), jobStore);
    }

    @BindToRegistry
    public PackageUpload packageUpload() {
        return new PackageUpload(settings.sftp());
    }

    /** The SFTP secrets go into the sftp endpoint's configuration as written, never through its URI. */
    @BindToRegistry
    public SftpSecrets sftpSecrets(CamelContext context) {
        SftpSecrets secrets = new SftpSecrets(settings.sftpPassword(), settings.sftpPrivateKeyPassphrase());
        context.getCamelContextExtension().registerEndpointCallback(secrets);
        return secrets;
    }

    @BindToRegistry
    public LmsConfirmation lmsConfirmation(@BeanInject("jobStore") JobStore jobStore) {
        return new LmsConfirmation(jobStore);
    }

    /** Credentials in CLIENT_CONFIRM_API go as Basic authentication; the route calls the URL without them. */
    @BindToRegistry
    public LmsCredentials confirmCredentials() {
        return new LmsCredentials(settings.clientConfirmUrl());
    }

    /** Credentials in LMS_STORE_URL go as Basic authentication; the route calls the URL without them. */
    @BindToRegistry
    public LmsCredentials storeCredentials() {
        return new LmsCredentials(settings.lmsStoreUrl());
    }

    /** The retries of the SFTP upload, the LMS confirmation and the store callback (routes/errors/). */
    @BindToRegistry
    public RedeliveryPolicy deliveryRetries() {
        return settings.retry().redeliveryPolicy();
    }

    @BindToRegistry
    public StoreCallback storeCallback(@BeanInject("jobStore") JobStore jobStore) {
        return new StoreCallback(jobStore, settings.retry().maxAttempts());
    }

    /** Standard Webhooks signatures on every call to the LMS, when WEBHOOK_SECRETS is set; retries sign again. */
    @BindToRegistry
    public WebhookSignatures webhookSignatures() {
        return new WebhookSignatures(settings.webhookSecrets(), Clock.systemUTC());
    }

    @BindToRegistry
    public Processor signWebhookAgain(WebhookSignatures signatures) {
        return signatures::sign;
    }

    @BindToRegistry
    public Processor storeCallbackRetrying(StoreCallback storeCallback, WebhookSignatures signatures) {
        return exchange -> {
            storeCallback.retrying(exchange);
            signatures.sign(exchange);
        };
    }
}
