package io.mediacompression.media;

import io.mediacompression.media.MediaProbe.AudioStream;
import io.mediacompression.media.MediaProbe.VideoStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    private static final String TONE_MAP = "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=hable:desat=0,"
            + "zscale=t=bt709:m=bt709:r=tv";

    /**
     * The one FFmpeg run of a job with HLS: the package folder it fills ({@code master.m3u8}, one folder per rung and
     * {@code audio/}, {@code poster.jpg}, {@code storyboard.jpg}), the MP4 beside it when asked for.
     */
    public record LadderPlan(Plan plan, List<HlsProfile.Rung> rungs, Path packageDir, Optional<Path> mp4,
                             Optional<Integer> audioChannels, double frameRate, Storyboard storyboard) {
    }

    /** The storyboard sprite: one {@code tileWidth} x {@code tileHeight} picture every {@code interval} seconds. */
    public record Storyboard(double interval, int count, int columns, int tileWidth, int tileHeight) {
        public int rows() {
            return (count + columns - 1) / columns;
        }
    }

    /** Names inside the package folder; fixed, the folder itself is the UUID. */
    public static final String MASTER = "master.m3u8";
    public static final String POSTER = "poster.jpg";
    public static final String STORYBOARD = "storyboard.jpg";
    public static final String STORYBOARD_VTT = "storyboard.vtt";
    /** Renumbers pictures 0, 1, 2 in a time base of one second, so that an image2 output never fills a gap. */
    private static final String NUMBERED = "settb=1,setpts=N";
    public static final String AUDIO = "audio";
    public static final String VARIANT_PLAYLIST = "index.m3u8";

    private static final int POSTER_MAX_WIDTH = 1280;
    private static final int STORYBOARD_TILE_LONG_SIDE = 160;
    private static final int STORYBOARD_MAX_TILES = 100;
    private static final int STORYBOARD_COLUMNS = 10;

    private final VideoProfile video;
    private final ImageProfile image;
    private final HlsProfile hls;

    public FfmpegCommand(VideoProfile video, ImageProfile image) {
        this(video, image, HlsProfile.parse("1080,720,480,360", 4));
    }

    public FfmpegCommand(VideoProfile video, ImageProfile image, HlsProfile hls) {
        this.video = video;
        this.image = image;
        this.hls = hls;
    }

    /**
     * The HLS ladder in one FFmpeg run: the upload is decoded once, {@code split} feeds one scaler and one libx264
     * encoder per rung (capped CRF: {@code -crf} with {@code -maxrate}/{@code -bufsize}), keyframes are forced at every
     * segment boundary so all rungs cut at the same times, and the hls muxer writes fMP4 segments. Audio is encoded
     * once, as one AAC rendition every rung shares. The same run writes the poster (the most representative frame of
     * a stretch after the first tenth, FFmpeg's {@code thumbnail} filter), the storyboard sprite ({@code tile}) and,
     * when {@code mp4} is given, the progressive MP4 (sharing the scaler of the rung of its size when there is one).
     */
    public LadderPlan ladder(MediaFormat format, MediaProbe probe, Path input, Optional<Path> mp4, Path packageDir,
                             Path progress) {
        VideoStream v = probe.video().orElseThrow(() -> new UnreadableMedia("the file has no video track"));
        if (v.width() <= 0 || v.height() <= 0) {
            throw new UnreadableMedia("the video could not be decoded");
        }
        int dw = v.displayWidth();
        int dh = v.displayHeight();
        double frameRate = v.frameRate() > 0 ? v.frameRate() : 30;
        double duration = probe.durationSeconds();
        List<HlsProfile.Rung> rungs = hls.rungs(dw, dh, frameRate);
        Optional<AudioStream> audio = probe.firstAudio();
        int[] mp4Size = fit(dw, dh, boxFor(v));
        boolean remux = mp4.isPresent() && canRemux(format, probe, v, mp4Size);
        int sharedRung = -1;
        for (int i = 0; mp4.isPresent() && !remux && i < rungs.size(); i++) {
            if (rungs.get(i).width() == mp4Size[0] && rungs.get(i).height() == mp4Size[1]) {
                sharedRung = i;
            }
        }
        boolean ownMp4Scaler = mp4.isPresent() && !remux && sharedRung < 0;
        Storyboard storyboard = storyboard(duration, dw, dh);
        int[] poster = posterSize(dw, dh);

        List<String> graph = new ArrayList<>();
        StringBuilder head = new StringBuilder("[0:" + v.index() + "]");
        if (HDR_TRANSFERS.contains(v.colorTransfer())) {
            head.append(TONE_MAP).append(',');
        }
        head.append("split=").append(rungs.size() + 2 + (ownMp4Scaler ? 1 : 0));
        for (int i = 0; i < rungs.size(); i++) {
            head.append("[r").append(i).append(']');
        }
        head.append("[p][s]").append(ownMp4Scaler ? "[m]" : "");
        graph.add(head.toString());
        for (int i = 0; i < rungs.size(); i++) {
            HlsProfile.Rung r = rungs.get(i);
            graph.add("[r" + i + "]" + scale(r.width(), r.height())
                    + (i == sharedRung ? ",split=2[v" + i + "][vm]" : "[v" + i + "]"));
        }
        if (ownMp4Scaler) {
            graph.add("[m]" + scale(mp4Size[0], mp4Size[1]) + "[vm]");
        }
        // FFmpeg reports no progress at all until every output has written its header, that is until each has had
        // a frame: the poster and the storyboard each get the first frame at once (a placeholder, overwritten by
        // -update 1 when the real picture comes), or a long run would look stalled to the watchdog. Both leave the
        // graph renumbered 0, 1 in a unit time base and go out with -fps_mode passthrough: image2 is a constant-rate
        // muxer, and with the concat's timestamps FFmpeg filled the gap between the two pictures with copies (21,668
        // for a 14 s camera file whose picture starts at 21 ms; a 60 s 1080p clip never got past them).
        double posterStart = Math.max(0, duration * 0.1);
        int batch = (int) Math.min(300, Math.max(1, Math.round(frameRate * 10)));
        graph.add(String.format(Locale.ROOT, "[p]split=2[pa][pb];[pa]trim=end_frame=1[pf];"
                        + "[pb]trim=start=%.3f:duration=%.3f,thumbnail=%d[pt];[pf][pt]concat=n=2:v=1:a=0,%s,%s[vp]",
                posterStart, (batch + 1) / frameRate, batch, scale(poster[0], poster[1]), NUMBERED));
        graph.add(String.format(Locale.ROOT, "[s]split=2[sa][sb];[sa]trim=end_frame=1,%s[sf];"
                        + "[sb]fps=%s,%s,tile=%dx%d[st];[sf][st]concat=n=2:v=1:a=0,%s[vs]",
                scale(storyboard.columns() * storyboard.tileWidth(), storyboard.rows() * storyboard.tileHeight()),
                rate(storyboard.interval()), scale(storyboard.tileWidth(), storyboard.tileHeight()),
                storyboard.columns(), storyboard.rows(), NUMBERED));

        List<String> args = commonArguments(progress);
        args.addAll(List.of("-i", input.toString(), "-filter_complex", String.join(";", graph)));
        if (mp4.isPresent()) {
            args.addAll(List.of("-map", remux ? "0:" + v.index() : "[vm]"));
            audio.ifPresent(a -> args.addAll(List.of("-map", "0:" + a.index())));
            args.addAll(List.of("-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn"));
            args.addAll(remux ? List.of("-c:v", "copy") : List.of("-c:v", "libx264", "-preset", video.preset(),
                    "-crf", Integer.toString(video.crf()), "-profile:v", "high", "-pix_fmt", "yuv420p"));
            audio.ifPresent(a -> args.addAll(audioArguments(a, remux)));
            args.addAll(List.of("-movflags", "+faststart", "-f", "mp4", mp4.get().toString()));
        }
        args.addAll(List.of("-map", "[vp]", "-map_metadata", "-1", "-q:v", "3", "-update", "1",
                "-fps_mode", "passthrough", "-f", "image2", packageDir.resolve(POSTER).toString()));
        args.addAll(List.of("-map", "[vs]", "-map_metadata", "-1", "-q:v", "4", "-update", "1",
                "-fps_mode", "passthrough", "-f", "image2", packageDir.resolve(STORYBOARD).toString()));

        List<String> streams = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            args.addAll(List.of("-map", "[v" + i + "]"));
            streams.add("v:" + i + (audio.isPresent() ? ",agroup:" + AUDIO : "") + ",name:" + rungs.get(i).name());
        }
        audio.ifPresent(a -> {
            args.addAll(List.of("-map", "0:" + a.index()));
            streams.add("a:0,agroup:" + AUDIO + ",name:" + AUDIO);
        });
        args.addAll(List.of("-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn",
                "-c:v", "libx264", "-preset", video.preset(), "-crf", Integer.toString(video.crf()),
                "-profile:v", "high", "-pix_fmt", "yuv420p"));
        for (int i = 0; i < rungs.size(); i++) {
            int kbps = rungs.get(i).maxrateKbps();
            args.addAll(List.of("-maxrate:v:" + i, kbps + "k", "-bufsize:v:" + i, 2 * kbps + "k"));
        }
        args.addAll(List.of("-force_key_frames:v", "expr:gte(t,n_forced*" + hls.segmentSeconds() + ")",
                "-sc_threshold:v", "0"));
        audio.ifPresent(a -> args.addAll(audioArguments(a, false)));
        // the timelines start at 0 (B-frame delay and AAC priming left to the edit lists, not shifted into the
        // timestamps), so a player finds no gap before the first frame
        args.addAll(List.of("-avoid_negative_ts", "disabled"));
        args.addAll(List.of("-f", "hls", "-hls_time", Integer.toString(hls.segmentSeconds()),
                "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
                "-hls_flags", "independent_segments",
                "-hls_segment_filename", packageDir.resolve("%v").resolve("segment-%05d.m4s").toString(),
                "-master_pl_name", MASTER, "-var_stream_map", String.join(" ", streams),
                packageDir.resolve("%v").resolve(VARIANT_PLAYLIST).toString()));

        HlsProfile.Rung top = rungs.get(0);
        Plan plan = new Plan(List.copyOf(args), false, top.width() != dw || top.height() != dh, v.rotation() != 0,
                top.width(), top.height(), duration);
        return new LadderPlan(plan, rungs, packageDir, mp4,
                audio.map(a -> Math.min(2, Math.max(1, a.channels()))), frameRate, storyboard);
    }

    /** One picture every {@code interval} seconds (at least one, at most 100 in all), the long side 160 pixels. */
    static Storyboard storyboard(double duration, int width, int height) {
        double interval = Math.max(1, Math.ceil(Math.max(duration, 1) / STORYBOARD_MAX_TILES));
        int count = (int) Math.max(1, Math.ceil(Math.max(duration, 0.001) / interval));
        int columns = Math.min(count, STORYBOARD_COLUMNS);
        int tw = width >= height ? STORYBOARD_TILE_LONG_SIDE
                : (int) Math.max(2, Math.round((double) STORYBOARD_TILE_LONG_SIDE * width / height / 2) * 2);
        int th = width >= height
                ? (int) Math.max(2, Math.round((double) STORYBOARD_TILE_LONG_SIDE * height / width / 2) * 2)
                : STORYBOARD_TILE_LONG_SIDE;
        return new Storyboard(interval, count, columns, tw, th);
    }

    static int[] posterSize(int width, int height) {
        int w = Math.min(POSTER_MAX_WIDTH, width) / 2 * 2;
        int h = (int) Math.max(2, Math.round((double) height * w / width / 2) * 2);
        return new int[] {Math.max(2, w), h};
    }

    private static String scale(int width, int height) {
        return "scale=" + width + ":" + height + ":flags=bicubic,setsar=1,format=yuv420p";
    }

    private static String rate(double interval) {
        return "1/" + (long) interval;
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
            filters.add(TONE_MAP);
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
