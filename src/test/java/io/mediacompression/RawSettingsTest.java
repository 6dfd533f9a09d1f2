package io.mediacompression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

class RawSettingsTest {

    @Test
    void a_secret_is_read_as_written_never_as_placeholders() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PropertiesComponent properties = context.getPropertiesComponent();
            Properties overrides = new Properties();
            overrides.setProperty("redis.url", "redis://:p{{a}})&%25 x@127.0.0.1:6379/0");
            overrides.setProperty("from.env", "{{env:PATH:}}");
            overrides.setProperty("unset.env", "{{env:NO_SUCH_VARIABLE_HERE:fallback}}");
            properties.setOverrideProperties(overrides);

            assertThat(RawSettings.value(properties, "redis.url")).isEqualTo("redis://:p{{a}})&%25 x@127.0.0.1:6379/0");
            assertThat(RawSettings.value(properties, "from.env")).isEqualTo(System.getenv("PATH"));
            assertThat(RawSettings.value(properties, "unset.env")).isEqualTo("fallback");
            assertThat(RawSettings.value(properties, "not.set")).isEmpty();
        }
    }
}
