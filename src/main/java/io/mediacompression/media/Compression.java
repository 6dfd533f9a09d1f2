package io.mediacompression.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The compression steps of one job, around the `exec` calls of the transcode route: what to probe, what to run,
 * and whether the result is fit to deliver. Everything is written in the job's own work directory.
 */
public final class Compression {

    /**
     * A job's compression in progress: input, where FFmpeg writes, and what it was asked to do; {@code image} is what
     * the upload's container says of its display ({@link ImageMetadata#NONE} for a video), {@code step} the image
     * quality step of this FFmpeg run. With HLS, {@code ladder} says what the run writes into the package folder,
     * and {@code output} is null when no MP4 was asked for.
     */
    public record Run(MediaFormat format, Path input, Path output, Path progress, MediaProbe probe,
                      ImageMetadata image, int step, FfmpegCommand.Plan plan, FfmpegCommand.LadderPlan ladder) {

        public Run(MediaFormat format, Path input, Path output, Path progress, MediaProbe probe, ImageMetadata image,
                   int step, FfmpegCommand.Plan plan) {
            this(format, input, output, progress, probe, image, step, plan, null);
        }

        /** Bytes FFmpeg wrote: the MP4 and the package. */
        public long outputBytes() {
            long bytes = output == null ? 0 : output.toFile().length();
            return bytes + (ladder == null ? 0 : HlsPackage.size(ladder.packageDir()));
        }
    }

    /** What {@link #finish} decided: deliver a file, or run FFmpeg again. */
    public sealed interface Outcome permits Done, EncodeAgain {
    }

    /**
     * What to deliver: the file ({@code null} for an HLS-only job) and the HLS package folder with its renditions
     * ({@code null} and empty without HLS); {@code largerThanUpload} when no quality step brought a resized image
     * under the upload's size.
     */
    public record Done(Path output, boolean largerThanUpload, Path packageDir, List<Rendition> renditions)
            implements Outcome {

        public Done(Path output, boolean largerThanUpload) {
            this(output, largerThanUpload, null, List.of());
        }
    }

    /** The image came out larger than its upload: FFmpeg runs again with this coarser plan. */
    public record EncodeAgain(Run run) implements Outcome {
    }

    private final FfmpegCommand commands;

    public Compression(FfmpegCommand commands) {
        this.commands = commands;
    }

    public List<String> probeArguments(Path input) {
        return commands.probe(input);
    }

    /**
     * What planning needs of a video, read from its own header when that says all of it (an MP4 or QuickTime file with
     * H.264 and AAC, {@link Mp4Header}); empty when ffprobe has to read the file. Images need neither.
     */
    public Optional<MediaProbe> probeFromHeader(MediaFormat format, Path input) {
        return format == MediaFormat.MP4 || format == MediaFormat.MOV ? Mp4Header.read(input) : Optional.empty();
    }

    /** Whether the upload is a video, whose planning needs a probe; an image's header says all that planning needs. */
    public static boolean needsProbe(MediaFormat format) {
        return format.kind() == MediaKind.VIDEO;
    }

    /**
     * Decides the FFmpeg run of an MP4 from ffprobe's answer (a video) or of an image from its own header.
     */
    public Run plan(MediaFormat format, Path input, String probeJson) {
        return plan(format, input, needsProbe(format) ? MediaProbe.parse(probeJson) : null, VideoOutputs.MP4);
    }

    /**
     * Decides the FFmpeg run of the outputs asked for from a video's probe (ffprobe's answer or its header's) or the
     * image's own header ({@code videoProbe} null; images have only their one output); each output gets a fresh UUID name
     * beside the input: the MP4 {@code <uuid>.mp4}, the HLS package the folder {@code <uuid>/}.
     */
    public Run plan(MediaFormat format, Path input, MediaProbe videoProbe, VideoOutputs outputs) {
        Path dir = input.getParent();
        Path output = dir.resolve(UUID.randomUUID() + "." + outputExtension(format));
        Path progress = dir.resolve("ffmpeg.progress");
        if (!needsProbe(format)) {
            ImageMetadata image = ImageMetadata.read(format, input);
            if (image.animated()) {
                // intake refuses them; this guards the jobs it queued before it did
                throw new UnreadableMedia("animated images are not supported");
            }
            MediaProbe probe = image.asProbe(format);
            FfmpegCommand.Plan plan = commands.image(format, probe, image.orientation(), 0, input, output).orElseThrow();
            return new Run(format, input, output, progress, probe, image, 0, plan);
        }
        MediaProbe probe = videoProbe;
        if (outputs.hls()) {
            Path packageDir = dir.resolve(UUID.randomUUID().toString());
            try {
                Files.createDirectories(packageDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Optional<Path> mp4 = outputs.mp4() ? Optional.of(output) : Optional.empty();
            FfmpegCommand.LadderPlan ladder = commands.ladder(format, probe, input, mp4, packageDir, progress);
            return new Run(format, input, mp4.orElse(null), progress, probe, ImageMetadata.NONE, 0, ladder.plan(),
                    ladder);
        }
        return new Run(format, input, output, progress, probe, ImageMetadata.NONE, 0,
                commands.video(format, probe, input, output, progress));
    }

    /**
     * Checks FFmpeg's output and takes every metadata block out of an image (its ICC profile stays, or comes back
     * from the upload). An image is never delivered larger than its upload if that can be helped: one that needed
     * neither resizing nor turning is replaced by the upload without its metadata; one that did is encoded again at
     * a coarser quality until it is no larger, and delivered as it is when the last step still is (never larger than
     * the maximum size in pixels, which matters more).
     */
    public Outcome finish(Run run) {
        try {
            if (run.ladder() != null) {
                if (run.output() != null && (!Files.isRegularFile(run.output()) || Files.size(run.output()) == 0)) {
                    throw new UnreadableMedia("compression produced no output");
                }
                Files.deleteIfExists(run.progress());
                return new Done(run.output(), false, run.ladder().packageDir(), HlsPackage.finish(run.ladder()));
            }
            if (!Files.isRegularFile(run.output()) || Files.size(run.output()) == 0) {
                throw new UnreadableMedia("compression produced no output");
            }
            Files.deleteIfExists(run.progress());
            if (run.format().kind() == MediaKind.VIDEO) {
                return new Done(run.output(), false);
            }
            byte[] encoded = MetadataStripper.strip(run.format(), Files.readAllBytes(run.output()),
                    run.image().iccProfile());
            if (encoded.length <= Files.size(run.input())) {
                Files.write(run.output(), encoded);
                return new Done(run.output(), false);
            }
            if (!run.plan().resized() && !run.plan().turned()) {
                byte[] upload = MetadataStripper.strip(run.format(), Files.readAllBytes(run.input()), Optional.empty());
                Files.write(run.output(), upload);
                return new Done(run.output(), false);
            }
            int step = run.step() + 1;
            Optional<FfmpegCommand.Plan> coarser = commands.image(run.format(), run.probe(), run.image().orientation(),
                    step, run.input(), run.output());
            if (coarser.isPresent()) {
                Files.delete(run.output());
                return new EncodeAgain(new Run(run.format(), run.input(), run.output(), run.progress(), run.probe(),
                        run.image(), step, coarser.get()));
            }
            Files.write(run.output(), encoded);
            return new Done(run.output(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String outputExtension(MediaFormat format) {
        return format.kind() == MediaKind.VIDEO ? "mp4" : format.extension();
    }
}
