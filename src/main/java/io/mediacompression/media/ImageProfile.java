package io.mediacompression.media;

import java.util.Optional;

/**
 * How images are recompressed.
 *
 * @param maxSide     the longest side of the output in pixels; smaller images are never enlarged
 * @param maxPixels   images that declare more pixels than this are refused before they are decoded
 * @param jpegQscale  FFmpeg's JPEG quantizer, 2 (best) to 31
 * @param webpQuality libwebp quality, 0 to 100
 */
public record ImageProfile(int maxSide, long maxPixels, int jpegQscale, int webpQuality) {

    /** Encodings of one image, the configured quality first, each coarser than the one before. */
    public static final int QUALITY_STEPS = 5;

    /** The JPEG quantizer of encoding {@code step} (0 is the configured one); empty past the last step. */
    public Optional<Integer> jpegQscale(int step) {
        // each step 1.5 times coarser: 4, 6, 9, 14, 20 from the default; none past FFmpeg's coarsest, 31
        if (step >= QUALITY_STEPS || (step > 0 && scaledQscale(step - 1) >= 31)) {
            return Optional.empty();
        }
        return Optional.of(scaledQscale(step));
    }

    private int scaledQscale(int step) {
        return (int) Math.min(31, Math.round(jpegQscale * Math.pow(1.5, step)));
    }

    /** The WebP quality of encoding {@code step} (0 is the configured one); empty past the last step. */
    public Optional<Integer> webpQuality(int step) {
        int quality = webpQuality - 10 * step;
        return step < QUALITY_STEPS && (step == 0 || quality >= 20) ? Optional.of(quality) : Optional.empty();
    }
}
