package io.mediacompression.http;

import io.mediacompression.upload.StagingArea;
import io.mediacompression.upload.UploadRefused;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/** Writes refusals and failures as the contract's JSON answers. */
public final class HttpAnswers {

    private static final long HTTP2_NO_ERROR = 0;

    private final long retryAfterSeconds;

    public HttpAnswers(long retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The {@link ApiException} a step threw: its status, headers and body. */
    public Object refusal(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception caught, Exchange exchange) {
        return answer(exchange, caught instanceof UploadRefused upload
                ? new ApiException(upload.status(), new ApiException.ErrorBody(upload.error(), upload.detail()), Map.of())
                : (ApiException) caught);
    }

    /** Answers with a refusal; the staged upload and its claim are dropped before the answer goes out. */
    public static Object answer(Exchange exchange, ApiException refusal) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, refusal.status());
        refusal.headers().forEach(exchange.getMessage()::setHeader);
        StagingArea.discard(exchange);
        closeIfBodyUnread(exchange);
        return refusal.body();
    }

    /** The job store (Redis) cannot be reached: nothing can be accepted or looked up until it is back. */
    public Object storeUnavailable(Exchange exchange) {
        return answer(exchange, ApiException.busy("Job state is unavailable; try again later", retryAfterSeconds));
    }

    /** Anything unexpected: a 500 that says nothing about the cause (the log has it). */
    public Object internalError(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 500);
        StagingArea.discard(exchange);
        closeIfBodyUnread(exchange);
        return new ApiException.ErrorBody("Internal processing error", null);
    }

    // A refused upload is not read to its end: stop it after the answer rather than drain it. Under HTTP/2 only
    // the request's own stream is reset (NO_ERROR after a complete answer, RFC 9113 8.1): closing the connection
    // would cut every other request on it, and a Connection header is not allowed there.
    private static void closeIfBodyUnread(Exchange exchange) {
        if (!(exchange.getIn() instanceof HttpMessage http) || !bodyUnread(http.getRequest())) {
            return;
        }
        HttpServerResponse response = http.getResponse();
        if (http.getRequest().version() == HttpVersion.HTTP_2) {
            response.endHandler(v -> response.reset(HTTP2_NO_ERROR));
        } else {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            response.endHandler(v -> http.getRequest().connection().close());
        }
    }

    // A request without a body (a GET) is not ended while platform-http holds it paused, yet has nothing unread.
    private static boolean bodyUnread(HttpServerRequest request) {
        if (request.isEnded()) {
            return false;
        }
        if (request.version() == HttpVersion.HTTP_2) {
            return true;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.trim().equals("0"));
    }
}
