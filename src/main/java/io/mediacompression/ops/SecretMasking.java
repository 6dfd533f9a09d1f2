package io.mediacompression.ops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * The last line of defence behind "no secret in any log line, at any level": every configured secret value (API
 * keys, passwords, the password in REDIS_URL, the credentials and query of the LMS URLs) is replaced by {@code ***}
 * in each line's message and stack trace before it is written. The service never logs them itself; this catches
 * what a library prints at DEBUG (Camel logs resolved endpoint URIs, for example).
 */
@Plugin(name = "SecretMasking", category = Core.CATEGORY_NAME, elementType = "rewritePolicy", printObject = true)
public final class SecretMasking implements RewritePolicy {

    private static final String MASK = "***";
    // shorter values would mask ordinary words and numbers everywhere
    private static final int SHORTEST_SECRET = 4;

    private final List<String> secrets;

    SecretMasking(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s.length() >= SHORTEST_SECRET).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    @PluginFactory
    public static SecretMasking createPolicy() {
        return new SecretMasking(secretsIn(System.getenv()));
    }

    /** The secret values among the service's environment variables. */
    static List<String> secretsIn(Map<String, String> env) {
        List<String> found = new ArrayList<>();
        for (String name : List.of("API_KEYS", "INTERNAL_SERVICE_KEYS", "WEBHOOK_SECRETS")) {
            Arrays.stream(env.getOrDefault(name, "").split(",")).map(String::trim).forEach(found::add);
        }
        for (String name : List.of("SFTP_PASSWORD", "SFTP_PRIVATE_KEY_PASSPHRASE", "JOLOKIA_PASSWORD")) {
            found.add(env.getOrDefault(name, ""));
        }
        for (String name : List.of("REDIS_URL", "CLIENT_CONFIRM_API", "LMS_STORE_URL")) {
            found.addAll(urlSecrets(env.getOrDefault(name, "")));
        }
        return found.stream().filter(s -> !s.isBlank()).toList();
    }

    /** The password of a URL's user info (as written and decoded), and its query, where tokens are passed. */
    static List<String> urlSecrets(String url) {
        List<String> found = new ArrayList<>();
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return found;
        }
        String rest = url.substring(scheme + 3);
        int query = rest.indexOf('?');
        String beforeQuery = query < 0 ? rest : rest.substring(0, query);
        // the last '@' ends the user info: a password may hold an unencoded '@' or '/'
        int at = beforeQuery.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = beforeQuery.substring(0, at);
            String password = userInfo.substring(userInfo.indexOf(':') + 1);
            found.add(password);
            found.add(URLDecoder.decode(password.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        if (query >= 0) {
            String parameters = rest.substring(query + 1);
            found.add(parameters);
            Arrays.stream(parameters.split("&")).map(pair -> pair.substring(pair.indexOf('=') + 1)).forEach(found::add);
        }
        return found;
    }

    @Override
    public LogEvent rewrite(LogEvent event) {
        if (secrets.isEmpty()) {
            return event;
        }
        String message = event.getMessage().getFormattedMessage();
        String maskedMessage = mask(message);
        Throwable thrown = event.getThrown();
        String trace = thrown == null ? null : stackTrace(thrown);
        String maskedTrace = trace == null ? null : mask(trace);
        boolean messageChanged = !maskedMessage.equals(message);
        boolean traceChanged = trace != null && !maskedTrace.equals(trace);
        if (!messageChanged && !traceChanged) {
            return event;
        }
        Log4jLogEvent.Builder builder = new Log4jLogEvent.Builder(event).setMessage(new SimpleMessage(maskedMessage));
        if (traceChanged) {
            builder.setThrown(new MaskedThrowable(maskedTrace)).setThrownProxy(null);
        }
        return builder.build();
    }

    String mask(String text) {
        String masked = text;
        for (String secret : secrets) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** A logged exception whose text held a secret: prints the masked text instead of itself. */
    static final class MaskedThrowable extends RuntimeException {
        private final String text;

        MaskedThrowable(String text) {
            super(text.lines().findFirst().orElse(""), null, false, false);
            this.text = text;
        }

        @Override
        public void printStackTrace(PrintWriter writer) {
            writer.print(text);
        }

        @Override
        public void printStackTrace(java.io.PrintStream stream) {
            stream.print(text);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
