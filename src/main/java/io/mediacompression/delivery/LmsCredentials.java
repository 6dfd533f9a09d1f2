package io.mediacompression.delivery;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Headers;

/**
 * The user and password an LMS URL may carry ({@code https://user:password@lms.example.org/store}), sent as HTTP Basic
 * authentication: Apache HttpClient 5 refuses a request URI with user info, so the URL the route calls is the same
 * one without it. Percent-escapes in the user info are decoded; any character works.
 */
public final class LmsCredentials {

    private final String url;
    private final Optional<String> authorization;

    public LmsCredentials(String rawUrl) {
        String raw = rawUrl == null ? "" : rawUrl.trim();
        int start = raw.indexOf("://");
        int authorityEnd = start < 0 ? -1 : firstOf(raw, start + 3, "/?#");
        // the last '@' of the authority ends the user info: a password may hold an unencoded '@'
        int at = start < 0 ? -1 : raw.lastIndexOf('@', authorityEnd - 1);
        if (at < start + 3) {
            this.url = raw;
            this.authorization = Optional.empty();
            return;
        }
        String userInfo = raw.substring(start + 3, at);
        this.url = raw.substring(0, start + 3) + raw.substring(at + 1);
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        this.authorization = Optional.of("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** The URL without its user info: what the route calls. */
    public String url() {
        return url;
    }

    /** Puts the Basic authorization on the request about to be sent, when the URL carried credentials. */
    public void apply(@Headers Map<String, Object> headers) {
        authorization.ifPresent(value -> headers.put("Authorization", value));
    }

    Optional<String> authorization() {
        return authorization;
    }

    private static int firstOf(String text, int from, String characters) {
        for (int i = from; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    // percent-escapes only: a '+' in a URL's user info is a plus
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
