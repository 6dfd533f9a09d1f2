package io.mediacompression.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.mediacompression.media.Rendition;
import java.util.List;

/**
 * The body of the LMS confirmation call: the contract's {@code {"mediaId": ..., "filePath": ...}}, and for a job with
 * HLS also {@code hlsPath}, {@code posterPath}, {@code storyboardPath} and {@code renditions}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"mediaId", "filePath", "hlsPath", "posterPath", "storyboardPath", "renditions"})
public record ConfirmationBody(String mediaId, String filePath, String hlsPath, String posterPath,
                               String storyboardPath, List<Rendition> renditions) {

    public ConfirmationBody(String mediaId, String filePath) {
        this(mediaId, filePath, null, null, null, null);
    }
}
