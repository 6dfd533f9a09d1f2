package io.mediacompression.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of `GET /status/{media_id}`: the contract's fields, the optional ones only when known. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatus(String mediaId, String status, Integer progress, String filePath, String updatedAt,
                        String instance) {

    public static JobStatus of(Job job) {
        return new JobStatus(job.mediaId(), job.status(), job.progress(), job.filePath(), job.updatedAt().toString(),
                job.instance());
    }

    public static JobStatus notFound(String mediaId) {
        return new JobStatus(mediaId, "not_found", null, null, null, null);
    }
}
