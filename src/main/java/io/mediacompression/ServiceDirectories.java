package io.mediacompression;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.support.service.ServiceSupport;

/** Makes WORK_DIR and OUTPUT_DIR when the context starts, before its routes do; configuring touches no disk. */
final class ServiceDirectories extends ServiceSupport {

    private final Path workDir;
    private final Path outputDir;

    ServiceDirectories(Path workDir, Path outputDir) {
        this.workDir = workDir;
        this.outputDir = outputDir;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(workDir);
        Files.createDirectories(outputDir);
    }
}
