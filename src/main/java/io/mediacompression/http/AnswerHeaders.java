package io.mediacompression.http;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * Which message headers become response headers: only the ones an answer sets on purpose. By default
 * platform-http writes every request header (the API key among them), form field and query parameter back
 * into the response. Content type and length are written by platform-http itself.
 */
public final class AnswerHeaders extends HttpHeaderFilterStrategy {

    private static final Set<String> ANSWERED = Set.of("retry-after", "www-authenticate");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ANSWERED.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
