package io.mediacompression.media;

/**
 * How images are recompressed.
 *
 * @param maxSide     the longest side of the output in pixels; smaller images are never enlarged
 * @param maxPixels   images that declare more pixels than this are refused before they are decoded
 * @param jpegQscale  FFmpeg's JPEG quantizer, 2 (best) to 31
 * @param webpQuality libwebp quality, 0 to 100
 */
public record ImageProfile(int maxSide, long maxPixels, int jpegQscale, int webpQuality) {
}
