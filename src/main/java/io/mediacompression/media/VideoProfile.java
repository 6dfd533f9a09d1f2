package io.mediacompression.media;

/**
 * The video output of the contract (H.264/AAC MP4 inside a box of {@code maxLongSide} x {@code maxShortSide}) and
 * the encoder settings chosen by measurement (see bench/RESULTS.md).
 *
 * @param fastPathMaxKbps an H.264/AAC input that already fits the box is only remuxed when its video bit rate is at
 *                        most this
 */
public record VideoProfile(int maxLongSide, int maxShortSide, String preset, int crf, int audioKbps,
                           int fastPathMaxKbps) {
}
