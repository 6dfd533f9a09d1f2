package io.mediacompression.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a video job delivers: the progressive MP4, the HLS package, or both ({@code VIDEO_OUTPUTS}, or the request's
 * {@code outputs} field): a comma list of {@code mp4} and {@code hls}.
 */
public record VideoOutputs(boolean mp4, boolean hls) {

    public static final VideoOutputs MP4 = new VideoOutputs(true, false);

    public VideoOutputs {
        if (!mp4 && !hls) {
            throw new IllegalArgumentException("no output");
        }
    }

    /** Reads {@code mp4}, {@code hls} or {@code mp4,hls} (any order, any case, spaces allowed); anything else is refused. */
    public static VideoOutputs parse(String text) {
        boolean mp4 = false;
        boolean hls = false;
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty");
        }
        for (String part : text.split(",", -1)) {
            switch (part.trim().toLowerCase(Locale.ROOT)) {
                case "mp4" -> mp4 = true;
                case "hls" -> hls = true;
                default -> throw new IllegalArgumentException("unknown output '" + part.trim() + "'");
            }
        }
        return new VideoOutputs(mp4, hls);
    }

    /** The same comma list, as stored with the job: {@code mp4}, {@code hls} or {@code mp4,hls}. */
    public String text() {
        List<String> parts = new ArrayList<>();
        if (mp4) {
            parts.add("mp4");
        }
        if (hls) {
            parts.add("hls");
        }
        return String.join(",", parts);
    }
}
