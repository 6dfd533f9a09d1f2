package io.mediacompression;

import io.mediacompression.ops.JolokiaGuard;
import java.util.Properties;
import org.apache.camel.main.Main;

/** Runs the service with Camel Main from the project root: `routes/` and `application.properties` are read from there. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        newMain(new Properties()).run(args);
    }

    /** The service as `main` runs it; tests start it the same way with a few settings overridden. */
    public static Main newMain(Properties overrides) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:application.properties");
        main.configure().addConfiguration(ServiceConfiguration.class);
        // builds Camel Main's HTTP servers, with /observe/jolokia behind credentials when Jolokia is on
        main.bind("jolokiaGuard", new JolokiaGuard());
        main.setOverrideProperties(overrides);
        return main;
    }
}
