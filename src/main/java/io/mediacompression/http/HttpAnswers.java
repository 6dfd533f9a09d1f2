package io.mediacompression.http;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/** Writes refusals and failures as the contract's JSON answers. */
public final class HttpAnswers {

    private final long retryAfterSeconds;

    public HttpAnswers(long retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The {@link ApiException} a step threw: its status, headers and body. */
    public Object refusal(Exchange exchange) {
        return answer(exchange, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ApiException.class));
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

    // A refused upload is not read to its end: close the connection after the answer rather than drain it.
    private static void closeIfBodyUnread(Exchange exchange) {
        if (exchange.getIn() instanceof HttpMessage http && !http.getRequest().isEnded()) {
            http.getResponse().putHeader("Connection", "close");
            http.getResponse().endHandler(v -> http.getRequest().connection().close());
        }
    }
}
