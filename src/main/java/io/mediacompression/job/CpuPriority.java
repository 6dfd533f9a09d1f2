package io.mediacompression.job;

import java.util.ArrayList;
import java.util.List;

/**
 * The CPU priority FFmpeg and ffprobe run at (FFMPEG_NICE), so that the API answers at once while jobs compress.
 *
 * <p>{@code idle} runs them under Linux's SCHED_IDLE policy ({@code chrt --idle 0}): any thread of the service that
 * wakes up takes the core from them at once, and they get the time nothing else in the container wants. A niceness
 * (1-19, {@code nice -n}) only lowers their share: once picked, a nice FFmpeg thread keeps the core for its whole time
 * slice (milliseconds) while requests wait. 0 runs them at the service's own priority. Both tools exec the program in
 * place: same process, same arguments.
 */
public record CpuPriority(boolean idle, int niceness) {

    public static final CpuPriority IDLE = new CpuPriority(true, 0);

    public CpuPriority {
        if (niceness < 0 || niceness > 19) {
            throw new IllegalArgumentException("niceness " + niceness + " is not within 0-19");
        }
    }

    /** {@code idle}, or a niceness from 0 to 19. */
    public static CpuPriority parse(String text) {
        String value = text.strip();
        if (value.equalsIgnoreCase("idle")) {
            return IDLE;
        }
        try {
            return new CpuPriority(false, Integer.parseInt(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is neither idle nor a niceness from 0 to 19", e);
        }
    }

    /** The command line that runs {@code program} with {@code arguments} at this priority: executable first. */
    public List<String> command(String program, List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (idle) {
            command.addAll(List.of("chrt", "--idle", "0"));
        } else if (niceness > 0) {
            command.addAll(List.of("nice", "-n", Integer.toString(niceness)));
        }
        command.add(program);
        command.addAll(arguments);
        return command;
    }

    @Override
    public String toString() {
        return idle ? "idle" : Integer.toString(niceness);
    }
}
