package io.mediacompression.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The compression steps of one job, around the two `exec` calls of the transcode route: what to probe, what to run,
 * and whether the result is fit to deliver. Everything is written in the job's own work directory.
 */
public final class Compression {

    /**
     * A job's compression in progress: input, where FFmpeg writes, and what it was asked to do; {@code orientation} is
     * the input's EXIF orientation (1 for anything but a JPEG).
     */
    public record Run(MediaFormat format, Path input, Path output, Path progress, int orientation,
                      FfmpegCommand.Plan plan) {
    }

    private final FfmpegCommand commands;

    public Compression(FfmpegCommand commands) {
        this.commands = commands;
    }

    public List<String> probeArguments(Path input) {
        return commands.probe(input);
    }

    /** Reads the probe and decides the FFmpeg run; the output gets a fresh UUID name beside the input. */
    public Run plan(MediaFormat format, Path input, String probeJson) {
        MediaProbe probe = MediaProbe.parse(probeJson);
        Path dir = input.getParent();
        Path output = dir.resolve(UUID.randomUUID() + "." + outputExtension(format));
        Path progress = dir.resolve("ffmpeg.progress");
        int orientation = orientation(format, input);
        FfmpegCommand.Plan plan = switch (format.kind()) {
            case VIDEO -> commands.video(format, probe, input, output, progress);
            case IMAGE -> commands.image(format, probe, orientation, input, output);
        };
        return new Run(format, input, output, progress, orientation, plan);
    }

    /**
     * Checks FFmpeg's output. An image that came out no smaller than the upload is replaced by the upload itself
     * without its metadata (a JPEG keeps only its orientation tag, so it still displays upright): the delivered
     * image is never larger than the upload.
     */
    public Path finish(Run run) {
        try {
            if (!Files.isRegularFile(run.output()) || Files.size(run.output()) == 0) {
                throw new UnreadableMedia("compression produced no output");
            }
            if (run.format().kind() == MediaKind.IMAGE && Files.size(run.output()) >= Files.size(run.input())) {
                byte[] original = Files.readAllBytes(run.input());
                Files.write(run.output(), MetadataStripper.strip(run.format(), original, run.orientation()));
            }
            Files.deleteIfExists(run.progress());
            return run.output();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String outputExtension(MediaFormat format) {
        return format.kind() == MediaKind.VIDEO ? "mp4" : format.extension();
    }

    private static int orientation(MediaFormat format, Path input) {
        try {
            return format == MediaFormat.JPEG ? ExifOrientation.of(input) : 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
