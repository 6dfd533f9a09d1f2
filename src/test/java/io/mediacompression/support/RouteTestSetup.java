package io.mediacompression.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.FileUtil;

/**
 * For route tests on Camel's kit (`@CamelMainTest`), listed before {@code ServiceConfiguration}, which reads what it
 * sets: the embedded defaults (in-memory job state, local delivery) with WORK_DIR and OUTPUT_DIR in a fresh temporary
 * folder, deleted when the context stops, and an API key. (`camel.server.port=0` goes into the annotation's
 * properties: Camel Main reads it before this runs.)
 */
public final class RouteTestSetup implements CamelConfiguration {

    public static final String API_KEY = "route-test-key";

    @Override
    public void configure(CamelContext context) throws Exception {
        Path root = Files.createTempDirectory("route-test");
        Map.of("work.dir", root.resolve("work").toString(),
                "output.dir", root.resolve("output").toString(),
                "api.apikey", API_KEY)
                .forEach(context.getPropertiesComponent()::addOverrideProperty);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                FileUtil.removeDir(root.toFile());
            }
        }, true, true);
    }
}
