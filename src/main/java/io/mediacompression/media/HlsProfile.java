package io.mediacompression.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The HLS ladder asked for ({@code HLS_LADDER}: heights, the short side for portrait video) and the segment length
 * ({@code HLS_SEGMENT_SECONDS}); turns a source size into the rungs it gets.
 */
public record HlsProfile(List<Integer> ladder, int segmentSeconds) {

    /** One rung: named by its short side ({@code 720p}), its picture size and its peak bit rate cap. */
    public record Rung(String name, int width, int height, int maxrateKbps) {
    }

    public HlsProfile {
        if (ladder.isEmpty() || ladder.stream().anyMatch(h -> h < 16 || h % 2 != 0)) {
            throw new IllegalStateException("HLS_LADDER must be a comma list of even heights, at least 16");
        }
        if (segmentSeconds < 1 || segmentSeconds > 30) {
            throw new IllegalStateException("HLS_SEGMENT_SECONDS must be 1 to 30");
        }
        ladder = ladder.stream().distinct().sorted((a, b) -> b - a).toList();
    }

    public static HlsProfile parse(String ladder, int segmentSeconds) {
        List<Integer> heights = new ArrayList<>();
        for (String part : ladder.split(",")) {
            try {
                heights.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("HLS_LADDER must be a comma list of heights, like 1080,720,480,360");
            }
        }
        return new HlsProfile(heights, segmentSeconds);
    }

    /**
     * The rungs of a source shown at {@code width} x {@code height}: every ladder step up to the source's short side,
     * never upscaled; a source smaller than the smallest step gets one rung at its own (even) size.
     */
    public List<Rung> rungs(int width, int height, double frameRate) {
        boolean portrait = height > width;
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
        List<Rung> rungs = new ArrayList<>();
        for (int step : ladder) {
            if (step <= shortSide) {
                int other = even((double) longSide * step / shortSide);
                rungs.add(rung(step, portrait ? step : other, portrait ? other : step, frameRate));
            }
        }
        if (rungs.isEmpty()) {
            int s = Math.max(2, shortSide / 2 * 2);
            int l = Math.max(2, longSide / 2 * 2);
            rungs.add(rung(s, portrait ? s : l, portrait ? l : s, frameRate));
        }
        return List.copyOf(rungs);
    }

    // about 3 Mbit/s for 720p30 and 6.8 for 1080p30, in proportion to the pixels, more for over 30 frames/s
    private static Rung rung(int shortSide, int width, int height, double frameRate) {
        double motion = frameRate > 31 ? Math.min(2.0, frameRate / 30) : 1.0;
        int kbps = (int) Math.max(300, Math.round(width * (double) height * 0.0033 * motion / 100) * 100);
        return new Rung(shortSide + "p", width, height, kbps);
    }

    private static int even(double value) {
        return (int) Math.max(2, Math.round(value / 2) * 2);
    }
}
