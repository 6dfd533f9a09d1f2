package io.mediacompression;

import java.util.Map;
import org.apache.camel.spi.PropertiesSource;

/**
 * The placeholders derived from {@link ServiceSettings} for the route files ({@link ServiceSettings#routeProperties}),
 * looked up beside application.properties: route preconditions and endpoint options are resolved from properties when
 * the routes are loaded, and no bean can answer for them. None of these names is a setting, so nothing a setting says
 * is overwritten, and no Java code reads them.
 */
final class RoutePlaceholders implements PropertiesSource {

    private final Map<String, String> values;

    RoutePlaceholders(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    @Override
    public String getName() {
        return "route-placeholders";
    }

    @Override
    public String getProperty(String name) {
        return values.get(name);
    }
}
