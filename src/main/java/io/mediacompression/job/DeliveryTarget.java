package io.mediacompression.job;

/** Where a job's result goes: chosen per job at intake, so both flows share one pipeline. */
public enum DeliveryTarget {
    /** `/compress/`: the client's SFTP storage when `SFTP_HOST` is set, otherwise `OUTPUT_DIR`; then the LMS is told. */
    CLIENT_STORAGE,
    /** `/video/receive`: posted to `LMS_STORE_URL`, kept until the LMS confirms it with `/video/confirm`. */
    STORE_CALLBACK
}
