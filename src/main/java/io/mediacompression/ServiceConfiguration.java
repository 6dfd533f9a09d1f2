package io.mediacompression;

import io.mediacompression.delivery.DeliveryBeans;
import io.mediacompression.http.HttpBeans;
import io.mediacompression.job.JobBeans;
import io.mediacompression.job.JobStoreBeans;
import io.mediacompression.job.RedisConnection;
import io.mediacompression.ops.OpsBeans;
import io.mediacompression.ops.RouteLogContext;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelBeanPostProcessor;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link ServiceSettings} once and hands each package its part: the packages' {@code @BindToRegistry} factory
 * methods make the beans the routes call by name, with the beans of the packages before them as parameters. Nothing
 * here or there opens a connection or touches the disk: Redis is reached on first use, the directories are made at
 * start.
 */
public class ServiceConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        // read here, not in a @BindToRegistry method of this class: a test's configuration class listed before this
        // one sets its WORK_DIR in its own configure
        ServiceSettings settings = ServiceSettings.from(context.getPropertiesComponent());
        context.getPropertiesComponent().addPropertiesSource(new RoutePlaceholders(settings.routeProperties()));
        if (settings.sftp().enabled() && !settings.sftp().verifyHostKey()) {
            LOG.warn("SFTP host key verification is OFF (SFTP_STRICT_HOST_KEY_CHECKING=no): uploads go to whatever server "
                    + "answers at {}:{}, including an impostor", settings.sftp().host(), settings.sftp().port());
        }
        context.addService(new ServiceDirectories(settings.workDir(), settings.outputDir()), true, true);
        // Camel's log context on every route but GET /status's: set as the context's plugin, since a factory bound in
        // the registry with the beans below is not picked up (bench/load's profile still showed the per-step context)
        context.getCamelContextExtension().addContextPlugin(UnitOfWorkFactory.class,
                new RouteLogContext(RouteLogContext.READ_ONLY_ROUTES));

        Optional<RedisConnection> redis = settings.redisUrl().map(RedisConnection::new);
        // in dependency order: the job records, the metrics around them (the `jobStore` every later bean takes), the
        // queue and workers, delivery, and the HTTP side that takes jobs in
        bind(context, List.of(
                new JobStoreBeans(settings.jobs(), redis),
                new OpsBeans(settings.workDir(), settings.workMinFreeBytes(), settings.ffmpeg().path(), redis),
                new JobBeans(settings.jobs(), redis),
                new DeliveryBeans(settings.delivery()),
                new HttpBeans(settings.http())));

        // the store URL may carry a token (only whether it is set is logged), REDIS_URL a password (masked)
        LOG.info("Started as instance {} with ROLE={} and JOB_QUEUE={}", settings.instanceId(),
                settings.role().name().toLowerCase(), settings.jobQueue().name().toLowerCase());
        LOG.info("Started with {} (job store: {}, handshake flow: {})",
                settings.toString().replaceAll("(rediss?://)[^@/\\s]*@", "$1***@"),
                context.getRegistry().lookupByName("jobRecords").getClass().getSimpleName(),
                settings.storeCallback() ? "on" : "off, LMS_STORE_URL is not set");
    }

    /** Binds each package's {@code @BindToRegistry} methods as Camel Main does a configuration class's. */
    private static void bind(CamelContext context, List<Object> packages) throws Exception {
        CamelBeanPostProcessor processor = PluginHelper.getBeanPostProcessor(context);
        for (Object beans : packages) {
            processor.postProcessBeforeInitialization(beans, beans.getClass().getName());
            processor.postProcessAfterInitialization(beans, beans.getClass().getName());
        }
    }
}
