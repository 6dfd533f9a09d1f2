package io.mediacompression.upload;

/**
 * An upload refused on purpose (malformed, too large, of a type not taken, stalled): the HTTP status and the
 * {@code error} and {@code message} of the answer, which the HTTP routes write as any other refusal. No stack trace:
 * it is an answer, not a fault.
 */
public final class UploadRefused extends RuntimeException {

    private final int status;
    private final String error;
    private final String detail;

    public UploadRefused(int status, String error, String detail) {
        super("HTTP " + status + " " + error + ": " + detail, null, false, false);
        this.status = status;
        this.error = error;
        this.detail = detail;
    }

    static UploadRefused badRequest(String detail) {
        return new UploadRefused(400, "Invalid request", detail);
    }

    public static UploadRefused unsupportedType(String detail) {
        return new UploadRefused(400, "Unsupported file type", detail);
    }

    static UploadRefused tooLarge(String detail) {
        return new UploadRefused(400, "File size exceeds limit", detail);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return detail;
    }
}
