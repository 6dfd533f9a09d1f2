package io.mediacompression.media;

import io.mediacompression.media.MediaProbe.AudioStream;
import io.mediacompression.media.MediaProbe.VideoStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the ffprobe and FFmpeg argument lists (run without a shell, one argument per element). Decides from the
 * probe whether a video can be remuxed as it is (the fast path) or must be re-encoded, and how big the output is.
 */
public final class FfmpegCommand {

    /** What FFmpeg will do with one job. */
    public record Plan(List<String> arguments, boolean remux, boolean resized, boolean turned, int width, int height,
                       double durationSeconds) {
    }

    private static final Set<String> HDR_TRANSFERS = Set.of("smpte2084", "arib-std-b67");
    private static final long IMAGE_MAX_ALLOC_BYTES = 1L << 30;

    private final VideoProfile video;
    private final ImageProfile image;

    public FfmpegCommand(VideoProfile video, ImageProfile image) {
        this.video = video;
        this.image = image;
    }

    /** ffprobe's arguments: streams and container as JSON on stdout, errors only on stderr. */
    public List<String> probe(Path input) {
        return List.of("-v", "error", "-show_streams", "-show_format", "-of", "json", input.toString());
    }

    /** The video profile: H.264/AAC MP4 that fits the box, turned upright, with faststart; or a remux when it already is. */
    public Plan video(MediaFormat format, MediaProbe probe, Path input, Path output, Path progress) {
        VideoStream v = probe.video().orElseThrow(() -> new UnreadableMedia("the file has no video track"));
        if (v.width() <= 0 || v.height() <= 0) {
            throw new UnreadableMedia("the video could not be decoded");
        }
        int[] size = fit(v.displayWidth(), v.displayHeight(), boxFor(v));
        Optional<AudioStream> audio = probe.firstAudio();
        boolean remux = canRemux(format, probe, v, size);

        List<String> args = commonArguments(progress);
        args.addAll(List.of("-i", input.toString(), "-map", "0:" + v.index()));
        audio.ifPresent(a -> args.addAll(List.of("-map", "0:" + a.index())));
        args.addAll(List.of("-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn"));
        if (remux) {
            args.addAll(List.of("-c:v", "copy"));
        } else {
            args.addAll(List.of("-vf", videoFilters(v, size),
                    "-c:v", "libx264", "-preset", video.preset(), "-crf", Integer.toString(video.crf()),
                    "-profile:v", "high", "-pix_fmt", "yuv420p"));
        }
        audio.ifPresent(a -> args.addAll(audioArguments(a, remux)));
        args.addAll(List.of("-movflags", "+faststart", "-f", "mp4", output.toString()));
        boolean resized = size[0] != v.displayWidth() || size[1] != v.displayHeight();
        return new Plan(List.copyOf(args), remux, resized, v.rotation() != 0, size[0], size[1], probe.durationSeconds());
    }

    /**
     * The image profile: same format, turned as its EXIF orientation says, no larger than {@code maxSide}, metadata
     * dropped, at quality step {@code step} (0 is the configured quality, each further step coarser; PNG is lossless
     * and has only step 0). Empty when there is no such step. Images that declare more pixels than allowed are
     * refused before FFmpeg decodes them.
     */
    public Optional<Plan> image(MediaFormat format, MediaProbe probe, int orientation, int step, Path input,
                                Path output) {
        VideoStream v = probe.video().orElseThrow(() -> new UnreadableMedia("the image could not be decoded"));
        if (v.width() <= 0 || v.height() <= 0) {
            throw new UnreadableMedia("the image could not be decoded");
        }
        if ((long) v.width() * v.height() > image.maxPixels()) {
            throw new UnreadableMedia("the image is too large (" + v.width() + "x" + v.height() + " pixels)");
        }
        Optional<List<String>> codec = switch (format) {
            case JPEG -> image.jpegQscale(step).map(q -> List.of(
                    "-c:v", "mjpeg", "-q:v", Integer.toString(q), "-f", "image2"));
            case PNG -> step == 0
                    ? Optional.of(List.of("-c:v", "png", "-compression_level", "9", "-pred", "mixed", "-f", "image2"))
                    : Optional.empty();
            case WEBP -> image.webpQuality(step).map(q -> List.of(
                    "-c:v", "libwebp", "-quality", Integer.toString(q), "-compression_level", "6", "-f", "webp"));
            default -> throw new IllegalArgumentException("not an image format: " + format);
        };
        if (codec.isEmpty()) {
            return Optional.empty();
        }
        boolean swap = ExifOrientation.swapsSides(orientation);
        int shownWidth = swap ? v.height() : v.width();
        int shownHeight = swap ? v.width() : v.height();
        int[] size = fit(shownWidth, shownHeight, new int[] {image.maxSide(), image.maxSide()}, 1);
        boolean resized = size[0] != shownWidth || size[1] != shownHeight;

        List<String> filters = new ArrayList<>();
        String turn = ExifOrientation.filters(orientation);
        if (!turn.isEmpty()) {
            filters.add(turn);
        }
        if (resized) {
            filters.add("scale=" + size[0] + ":" + size[1] + ":flags=lanczos");
            if (format == MediaFormat.PNG && "pal8".equals(v.pixelFormat())) {
                // scaling leaves the palette: build a new one, or the PNG grows to full colour
                filters.add("split[a][b];[a]palettegen=reserve_transparent=1[p];[b][p]paletteuse");
            }
        }
        List<String> args = commonArguments(null);
        // FFmpeg would turn JPEGs by their EXIF tag itself, but not mirror them: the filters above do both
        args.addAll(List.of("-max_alloc", Long.toString(IMAGE_MAX_ALLOC_BYTES), "-noautorotate",
                "-i", input.toString(), "-map", "0:" + v.index(), "-map_metadata", "-1", "-frames:v", "1"));
        if (!filters.isEmpty()) {
            args.addAll(List.of("-vf", String.join(",", filters)));
        }
        args.addAll(codec.get());
        args.add(output.toString());
        return Optional.of(new Plan(List.copyOf(args), false, resized, !turn.isEmpty(), size[0], size[1], 0));
    }

    private List<String> commonArguments(Path progress) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y"));
        if (progress != null) {
            args.addAll(List.of("-progress", progress.toString()));
        }
        return args;
    }

    private boolean canRemux(MediaFormat format, MediaProbe probe, VideoStream v, int[] size) {
        long videoBitRate = v.bitRate() > 0 ? v.bitRate() : probe.bitRate();
        boolean audioOk = probe.firstAudio().map(a -> "aac".equals(a.codec())).orElse(true);
        return format != MediaFormat.AVI
                && "h264".equals(v.codec())
                && "yuv420p".equals(v.pixelFormat())
                && v.rotation() == 0
                && (v.sarNum() == v.sarDen() || v.sarNum() == 0)
                && size[0] == v.width() && size[1] == v.height()
                && v.width() % 2 == 0 && v.height() % 2 == 0
                && videoBitRate > 0 && videoBitRate <= video.fastPathMaxKbps() * 1000L
                && audioOk;
    }

    private List<String> audioArguments(AudioStream a, boolean remux) {
        boolean copy = remux && "aac".equals(a.codec()) && a.channels() <= 2
                && a.bitRate() > 0 && a.bitRate() <= video.audioKbps() * 1250L;
        if (copy) {
            return List.of("-c:a", "copy");
        }
        List<String> args = new ArrayList<>(List.of("-c:a", "aac", "-b:a", video.audioKbps() + "k"));
        if (a.channels() > 2) {
            args.addAll(List.of("-ac", "2"));
        }
        return args;
    }

    // FFmpeg turns the picture upright (autorotate) before these filters run, so sizes are display sizes.
    private static String videoFilters(VideoStream v, int[] size) {
        List<String> filters = new ArrayList<>();
        if (HDR_TRANSFERS.contains(v.colorTransfer())) {
            filters.add("zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=hable:desat=0,"
                    + "zscale=t=bt709:m=bt709:r=tv");
        }
        filters.add("scale=" + size[0] + ":" + size[1] + ":flags=bicubic");
        filters.add("setsar=1");
        filters.add("format=yuv420p");
        return String.join(",", filters);
    }

    private int[] boxFor(VideoStream v) {
        return v.displayWidth() >= v.displayHeight()
                ? new int[] {video.maxLongSide(), video.maxShortSide()}
                : new int[] {video.maxShortSide(), video.maxLongSide()};
    }

    private static int[] fit(int width, int height, int[] box) {
        return fit(width, height, box, 2);
    }

    /** The largest size within {@code box} with the same aspect ratio, never larger than the source, multiple of {@code step}. */
    static int[] fit(int width, int height, int[] box, int step) {
        double scale = Math.min(1.0, Math.min((double) box[0] / width, (double) box[1] / height));
        int w = Math.max(step, (int) Math.round(width * scale) / step * step);
        int h = Math.max(step, (int) Math.round(height * scale) / step * step);
        return new int[] {w, h};
    }
}
