package io.mediacompression.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mediacompression.media.Rendition;
import java.util.List;

/**
 * The body of `GET /status/{media_id}`: the contract's fields, the optional ones only when known (the HLS ones once
 * the package is delivered).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatus(String mediaId, String status, Integer progress, String filePath, String updatedAt,
                        String hlsPath, String posterPath, String storyboardPath, List<Rendition> renditions,
                        String instance) {

    public static JobStatus of(Job job) {
        boolean delivered = job.hlsPath() != null;
        return new JobStatus(job.mediaId(), job.status(), job.progress(), job.filePath(), job.updatedAt().toString(),
                job.hlsPath(), job.posterPath(), job.storyboardPath(), delivered ? job.renditions() : null,
                job.instance());
    }

    public static JobStatus notFound(String mediaId) {
        return new JobStatus(mediaId, "not_found", null, null, null, null, null, null, null, null);
    }
}
