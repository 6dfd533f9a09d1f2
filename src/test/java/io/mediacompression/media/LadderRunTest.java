package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.MediaInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ladder's FFmpeg run as the worker starts it, watched the way the stall watchdog watches it. */
class LadderRunTest {

    @TempDir
    Path dir;

    @Test
    void reports_progress_while_it_runs_not_only_at_the_end() throws Exception {
        // 20 s, black for the first: the poster's picture comes after 2 s of it, the storyboard's sprite at its end
        Path clip = dir.resolve("clip.mp4");
        MediaInfo.ffmpeg("-f", "lavfi", "-i", "color=c=black:s=480x270:r=30:d=1", "-f", "lavfi",
                "-i", "testsrc2=s=480x270:r=30:d=19", "-f", "lavfi", "-i", "sine=d=20",
                "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]", "-map", "2:a",
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", clip.toString());
        FfmpegCommand.LadderPlan plan = runLadder(clip, "240");
        Path pkg = plan.packageDir();
        Path progress = dir.resolve("ffmpeg.progress");

        // the watchdog only sees the progress FFmpeg writes while it runs (every half second): FFmpeg writes none
        // until every output has had a frame, and the storyboard's sprite comes at the end. The first report must
        // come early in the run, not with the sprite (at 19 s of 20)
        List<String> lines = Files.readAllLines(progress);
        int firstContinue = lines.indexOf("progress=continue");
        assertThat(firstContinue).as("a progress report before the end").isPositive();
        long firstOutTime = lines.subList(0, firstContinue).stream().filter(l -> l.matches("out_time_us=\\d+"))
                .mapToLong(l -> Long.parseLong(l.substring("out_time_us=".length()))).max().orElse(-1);
        assertThat(firstOutTime).as("encoded time at the first report, us").isBetween(0L, 12_000_000L);
        // and the poster and the storyboard are the real pictures, not the placeholders written first
        List<Rendition> renditions = HlsPackage.finish(plan);
        assertThat(renditions).extracting(Rendition::height).containsExactly(240);
        assertThat(MediaInfo.of(pkg.resolve("storyboard.jpg")).width()).isEqualTo(10 * 160);
        assertThat(MediaInfo.of(pkg.resolve("storyboard.jpg")).height()).isEqualTo(2 * 90);
        assertThat(averageLuma(pkg.resolve("poster.jpg"))).as("the poster's mean luma").isGreaterThan(40);
        assertThat(averageLuma(pkg.resolve("storyboard.jpg"))).as("the sprite's mean luma").isGreaterThan(40);
    }

    @Test
    void duplicates_no_frame_for_the_poster_and_storyboard_of_a_camera_file() throws Exception {
        // as most phone and camera files, and any MP4 joined with -c copy, the picture starts after 0 (here 21 ms,
        // behind the audio). The poster and the storyboard once went to image2 as a constant-rate output: FFmpeg
        // wrote copies to fill the time between their two frames, 21,668 of them for this 14 s clip, and a 60 s
        // 1080p lecture made no progress at all until the watchdog stopped it
        Path onTime = dir.resolve("on-time.mp4");
        MediaInfo.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=14", "-f", "lavfi", "-i", "sine=d=14",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", onTime.toString());
        Path clip = dir.resolve("camera.mp4");
        MediaInfo.ffmpeg("-itsoffset", "0.021", "-i", onTime.toString(), "-i", onTime.toString(),
                "-map", "0:v", "-map", "1:a", "-c", "copy", clip.toString());
        FfmpegCommand.LadderPlan plan = runLadder(clip, "360");
        Path pkg = plan.packageDir();
        Path progress = dir.resolve("ffmpeg.progress");

        // one copy is the rung's: its first frame, held for the 21 ms before the picture
        long duplicated = Files.readAllLines(progress).stream().filter(l -> l.startsWith("dup_frames="))
                .mapToLong(l -> Long.parseLong(l.substring("dup_frames=".length()))).max().orElse(-1);
        assertThat(duplicated).as("frames FFmpeg duplicated").isBetween(0L, 1L);
        assertThat(HlsPackage.finish(plan)).extracting(Rendition::height).containsExactly(360);
        assertThat(averageLuma(pkg.resolve("poster.jpg"))).as("the poster's mean luma").isGreaterThan(40);
        assertThat(MediaInfo.of(pkg.resolve("storyboard.jpg")).width()).isEqualTo(10 * 160);
    }

    /** Runs the service's one-run ladder command for {@code rungs} on the clip, into pkg/, with its progress file. */
    private FfmpegCommand.LadderPlan runLadder(Path clip, String rungs) throws Exception {
        MediaProbe probe = MediaProbe.parse(run(List.of("ffprobe", "-v", "error", "-show_streams", "-show_format",
                "-of", "json", clip.toString())));
        FfmpegCommand command = new FfmpegCommand(new VideoProfile(1280, 720, "veryfast", 23, 64, 0),
                new ImageProfile(1920, 100_000_000, 4, 80), HlsProfile.parse(rungs, 4));
        Path pkg = Files.createDirectories(dir.resolve("pkg"));
        FfmpegCommand.LadderPlan plan = command.ladder(MediaFormat.MP4, probe, clip, Optional.empty(), pkg,
                dir.resolve("ffmpeg.progress"));
        List<String> ffmpeg = new ArrayList<>(List.of("ffmpeg"));
        ffmpeg.addAll(plan.plan().arguments());
        run(ffmpeg);
        return plan;
    }

    /** The mean luma (0-255) of a picture: FFmpeg shrinks it to one grey pixel. */
    private int averageLuma(Path picture) throws Exception {
        Path pixel = dir.resolve("pixel-" + System.nanoTime() + ".gray");
        MediaInfo.ffmpeg("-i", picture.toString(), "-vf", "scale=1:1:flags=area", "-f", "rawvideo", "-pix_fmt", "gray",
                pixel.toString());
        return Files.readAllBytes(pixel)[0] & 0xff;
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
        return out;
    }
}
