package io.mediacompression;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.job.JobQueue;
import io.mediacompression.job.JobStore;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuring the service binds its beans and does nothing else: no directory is made, no Redis client. */
class ServiceConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void configuring_makes_no_directory_and_no_redis_client_until_the_context_starts() throws Exception {
        Path work = dir.resolve("work");
        Path output = dir.resolve("output");
        Properties overrides = new Properties();
        overrides.put("work.dir", work.toString());
        overrides.put("output.dir", output.toString());
        overrides.put("camel.server.port", "0");
        overrides.put("api.apikey", "configuration-test-key");
        // nothing listens on port 1: a client that connected would fail here
        overrides.put("redis.url", "redis://127.0.0.1:1");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:application.properties");
            context.getPropertiesComponent().setOverrideProperties(overrides);

            new ServiceConfiguration().configure(context);

            assertThat(context.getRegistry().lookupByNameAndType("jobStore", JobStore.class)).isNotNull();
            assertThat(context.getRegistry().lookupByNameAndType("jobQueue", JobQueue.class)).isNotNull();
            assertThat(context.getRegistry().lookupByName("worker")).isNotNull();
            assertThat(context.getRegistry().lookupByName("storeCallbackRetrying")).isNotNull();
            assertThat(context.getPropertiesComponent().resolveProperty("role.works")).hasValue("true");
            assertThat(work).doesNotExist();
            assertThat(output).doesNotExist();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("redisson"));

            context.start();

            assertThat(work).isDirectory();
            assertThat(output).isDirectory();
        }
    }
}
