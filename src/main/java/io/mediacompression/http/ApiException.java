package io.mediacompression.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A request the service refuses on purpose: carries the HTTP status, the JSON body and any extra headers. It
 * has no stack trace: it is an answer, not a fault.
 */
public final class ApiException extends RuntimeException {

    /** The JSON error body of the contract: {@code error} is fixed per case, {@code message} says more. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorBody(String error, String message) {
    }

    private final int status;
    private final transient Object body;
    private final Map<String, String> headers;

    public ApiException(int status, Object body, Map<String, String> headers) {
        super("HTTP " + status, null, false, false);
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String error, String message) {
        return new ApiException(400, new ErrorBody(error, message), Map.of());
    }

    public static ApiException unauthorized() {
        return new ApiException(401, new ErrorBody("Unauthorized", null), Map.of());
    }

    public static ApiException conflict(Object currentStatus) {
        return new ApiException(409, currentStatus, Map.of());
    }

    public static ApiException busy(String message, long retryAfterSeconds) {
        return new ApiException(503, new ErrorBody("Service busy", message),
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    public Object body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String getMessage() {
        return "HTTP " + status + " " + body;
    }
}
