package io.mediacompression.job;

import com.fasterxml.jackson.annotation.JsonValue;

/** The life of a job, with the names the contract shows in `GET /status`. */
public enum JobState {
    QUEUED("queued"),
    PROCESSING("processing"),
    COMPLETED("completed"),
    DB_UPDATE_FAILED("db_update_failed"),
    FAILED("failed"),
    AWAITING_CONFIRMATION("awaiting_confirmation"),
    EXPIRED("expired");

    private final String wire;

    JobState(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** An active job holds its media id: a second upload with the same id is refused with 409. */
    public boolean isActive() {
        return this == QUEUED || this == PROCESSING;
    }

    public boolean isFinished() {
        return !isActive() && this != AWAITING_CONFIRMATION;
    }
}
