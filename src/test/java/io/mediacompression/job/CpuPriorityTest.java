package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commands FFmpeg is started with, run for real: what the started process reports about its own priority. */
class CpuPriorityTest {

    // the started program reports its scheduling policy (field 41 of /proc/self/stat: 0 normal, 5 SCHED_IDLE) and
    // its nice value (field 19), from the process that chrt or nice exec'd in place
    private static final List<String> REPORT = List.of("-c",
            "cut -d' ' -f41 /proc/$$/stat; cut -d' ' -f19 /proc/$$/stat; echo \"$0 $1\"", "tool-name", "argument");

    @Test
    void idle_runs_the_program_under_sched_idle_with_its_arguments_unchanged() throws Exception {
        assertThat(run(CpuPriority.parse("idle"))).containsExactly("5", niceness(), "tool-name argument");
    }

    @Test
    void a_niceness_adds_to_the_service_own_and_zero_leaves_the_priority_alone() throws Exception {
        assertThat(run(CpuPriority.parse(" 7 "))).containsExactly("0",
                Integer.toString(Math.min(19, Integer.parseInt(niceness()) + 7)), "tool-name argument");
        assertThat(CpuPriority.parse("0").command("sh", List.of("-c", "true"))).containsExactly("sh", "-c", "true");
        assertThat(run(CpuPriority.parse("0"))).containsExactly("0", niceness(), "tool-name argument");
    }

    private static List<String> run(CpuPriority priority) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(priority.command("sh", REPORT)).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    // this JVM's own nice value: the child starts from it
    private static String niceness() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16];
    }
}
