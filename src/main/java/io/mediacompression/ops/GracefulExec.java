package io.mediacompression.ops;

import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.impl.DefaultExecCommandExecutor;
import org.apache.commons.exec.DefaultExecutor;

/**
 * Runs ffprobe and FFmpeg like Camel's exec component does, except on shutdown. Camel's executor registers every
 * process with a JVM shutdown hook that kills it the moment SIGTERM arrives, which would leave running jobs no
 * grace period at all. Without it, a process runs on while Camel drains ({@code camel.main.shutdownTimeout}) and is
 * stopped only when its worker thread is interrupted at the end of the grace period.
 */
public final class GracefulExec extends DefaultExecCommandExecutor {

    @Override
    protected DefaultExecutor prepareDefaultExecutor(ExecCommand execCommand) {
        DefaultExecutor executor = super.prepareDefaultExecutor(execCommand);
        executor.setProcessDestroyer(null);
        return executor;
    }
}
