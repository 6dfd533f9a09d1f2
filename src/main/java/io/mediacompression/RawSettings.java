package io.mediacompression;

import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Settings whose values are secrets and may hold any character, read as they were written: Camel would read
 * {@code {{...}}} inside a value as another placeholder, and {@code RAW(...)} in an endpoint URI ends at the first
 * {@code )}. A setting written {@code {{env:NAME:default}}} is the environment variable itself, untouched.
 */
final class RawSettings {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z_][A-Za-z0-9_]*):([^{}]*)}}");

    private RawSettings() {
    }

    static String value(PropertiesComponent properties, String key) {
        String raw = null;
        if (properties instanceof org.apache.camel.component.properties.PropertiesComponent camel) {
            raw = lookup(camel.getOverrideProperties(), key);
            if (raw == null) {
                raw = lookup(camel.getInitialProperties(), key);
            }
        }
        if (raw == null) {
            raw = properties.loadProperties(key::equals).getProperty(key);
        }
        if (raw == null) {
            return "";
        }
        Matcher env = ENV.matcher(raw.trim());
        if (env.matches()) {
            String value = System.getenv(env.group(1));
            return value != null ? value : env.group(2);
        }
        return raw;
    }

    private static String lookup(Properties properties, String key) {
        return properties == null ? null : properties.getProperty(key);
    }
}
