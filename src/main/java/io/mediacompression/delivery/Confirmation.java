package io.mediacompression.delivery;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The body of the LMS confirmation call, exactly the contract's: {@code {"mediaId": ..., "filePath": ...}}. */
@JsonPropertyOrder({"mediaId", "filePath"})
public record Confirmation(String mediaId, String filePath) {
}
