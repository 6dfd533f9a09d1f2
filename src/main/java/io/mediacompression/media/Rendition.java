package io.mediacompression.media;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One rung of a delivered HLS ladder, as the LMS sees it: its picture size and its BANDWIDTH (peak bit rate, audio included). */
@JsonPropertyOrder({"width", "height", "bandwidth"})
public record Rendition(int width, int height, long bandwidth) {
}
