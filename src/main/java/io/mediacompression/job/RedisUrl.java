package io.mediacompression.job;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code REDIS_URL} taken apart: {@code redis://[[user]:password@]host[:port][/db]} (or {@code rediss://}).
 * User and password may be percent-encoded. Neither an error nor {@link #toString()} ever shows the password.
 */
public record RedisUrl(String scheme, String host, int port, Optional<String> username, Optional<String> password,
                       int database) {

    private static final String FORM = "redis://[[user]:password@]host[:port][/db]";
    private static final Pattern HOST_PORT_DB = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[^:/\\[\\]]+)(?::(\\d{1,5}))?(?:/(\\d{0,5}))?/?");

    public static RedisUrl parse(String url) {
        int separator = url.indexOf("://");
        String scheme = separator < 0 ? "" : url.substring(0, separator);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw invalid("it must start with redis:// or rediss://");
        }
        String rest = url.substring(separator + 3);
        // the last '@' ends the credentials: a password may hold an unencoded '@' or '/' before it
        int at = rest.lastIndexOf('@');
        Matcher hostPortDb = HOST_PORT_DB.matcher(rest.substring(at + 1));
        if (!hostPortDb.matches()) {
            throw invalid("the host, port or database number cannot be read");
        }
        int port = hostPortDb.group(2) == null ? 6379 : Integer.parseInt(hostPortDb.group(2));
        if (port < 1 || port > 65535) {
            throw invalid("the port must be between 1 and 65535");
        }
        String db = hostPortDb.group(3);
        int database = db == null || db.isEmpty() ? 0 : Integer.parseInt(db);
        Optional<String> username = Optional.empty();
        Optional<String> password = Optional.empty();
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : userInfo.substring(0, colon);
            // `redis://secret@host` is what many providers print: a userinfo without ':' is the password
            password = Optional.of(percentDecode(colon < 0 ? userInfo : userInfo.substring(colon + 1))).filter(p -> !p.isEmpty());
            username = Optional.of(percentDecode(user)).filter(u -> !u.isEmpty());
        }
        return new RedisUrl(scheme, hostPortDb.group(1), port, username, password, database);
    }

    /** The address Redisson connects to, without credentials. */
    public String address() {
        return scheme + "://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return scheme + "://" + (password.isPresent() ? username.orElse("") + ":***@" : "") + host + ":" + port + "/"
                + database;
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("REDIS_URL is not of the form " + FORM + ": " + why);
    }

    // Not URLDecoder: in a URL's user info '+' is a plus sign, not a space.
    private static String percentDecode(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
                decoded.write(Character.digit(raw[i + 1], 16) * 16 + Character.digit(raw[i + 2], 16));
                i += 2;
            } else {
                decoded.write(raw[i]);
            }
        }
        return decoded.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
