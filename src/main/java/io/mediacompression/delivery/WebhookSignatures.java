package io.mediacompression.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.core5.http.HttpEntity;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com) on the calls to the LMS: {@code webhook-id},
 * {@code webhook-timestamp} and {@code webhook-signature}, which holds {@code v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">} once per secret of {@code WEBHOOK_SECRETS}, space separated, so that a secret can be
 * rotated without downtime. The body signed is the one about to be sent, byte for byte: a {@code byte[]} as it is, a
 * request entity (the multipart store callback) as it writes itself, streamed from disk through the MACs without being
 * held in memory. The id is made once per delivery and kept by every retry of it; the timestamp is the attempt's.
 */
public final class WebhookSignatures {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    /** The exchange property that keeps a delivery's id across its retries. */
    static final String ID_PROPERTY = "webhookId";

    private static final String PREFIX = "whsec_";
    private static final int MIN_KEY_BYTES = 24;

    private final List<SecretKeySpec> keys;
    private final Clock clock;

    /** Refuses, at start, a secret that is not {@code whsec_} + base64 of at least 24 bytes; names no secret. */
    public WebhookSignatures(String commaSeparatedSecrets, Clock clock) {
        List<SecretKeySpec> parsed = new ArrayList<>();
        String[] secrets = commaSeparatedSecrets == null ? new String[0] : commaSeparatedSecrets.split(",");
        for (int i = 0; i < secrets.length; i++) {
            String secret = secrets[i].trim();
            if (secret.isEmpty()) {
                continue;
            }
            if (!secret.startsWith(PREFIX)) {
                throw new IllegalStateException("WEBHOOK_SECRETS: secret " + (i + 1) + " does not start with whsec_");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("WEBHOOK_SECRETS: secret " + (i + 1) + " is not whsec_ followed by base64");
            }
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalStateException("WEBHOOK_SECRETS: secret " + (i + 1) + " holds fewer than "
                        + MIN_KEY_BYTES + " bytes; make one with: echo whsec_$(openssl rand -base64 32)");
            }
            parsed.add(new SecretKeySpec(key, "HmacSHA256"));
        }
        this.keys = List.copyOf(parsed);
        this.clock = clock;
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /**
     * Puts the three headers on the message about to be sent; the first call of a delivery makes its id, each retry
     * calls it again (through the retry policies' {@code onRedelivery}) for a fresh timestamp and signature.
     */
    public void sign(Exchange exchange) {
        if (!enabled()) {
            return;
        }
        String id = exchange.getProperty(ID_PROPERTY, String.class);
        if (id == null) {
            id = "msg_" + UUID.randomUUID().toString().replace("-", "");
            exchange.setProperty(ID_PROPERTY, id);
        }
        long timestamp = clock.instant().getEpochSecond();
        Message message = exchange.getMessage();
        message.setHeader(ID, id);
        message.setHeader(TIMESTAMP, Long.toString(timestamp));
        message.setHeader(SIGNATURE, signature(id, timestamp, message.getBody()));
    }

    /** {@code v1,<signature>} for each secret, space separated, over {@code <id>.<timestamp>.<body>}. */
    String signature(String id, long timestamp, Object body) {
        List<Mac> macs = new ArrayList<>(keys.size());
        byte[] head = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        for (SecretKeySpec key : keys) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                mac.update(head);
                macs.add(mac);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        try (OutputStream into = new MacStream(macs)) {
            if (body instanceof byte[] bytes) {
                into.write(bytes);
            } else if (body instanceof HttpEntity entity && entity.isRepeatable()) {
                // the multipart entity writes the same bytes every time (its boundary is fixed): this pass only feeds
                // the MACs, and the HTTP client's own pass sends them
                entity.writeTo(into);
            } else {
                throw new IllegalStateException("Cannot sign a body of type "
                        + (body == null ? "null" : body.getClass().getName()) + ": it could not be sent again as signed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder header = new StringBuilder();
        for (Mac mac : macs) {
            header.append(header.isEmpty() ? "" : " ").append("v1,")
                    .append(Base64.getEncoder().encodeToString(mac.doFinal()));
        }
        return header.toString();
    }

    /** Feeds every MAC with what is written to it, and keeps nothing. */
    private static final class MacStream extends OutputStream {
        private final List<Mac> macs;

        MacStream(List<Mac> macs) {
            this.macs = macs;
        }

        @Override
        public void write(int b) {
            for (Mac mac : macs) {
                mac.update((byte) b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (Mac mac : macs) {
                mac.update(b, off, len);
            }
        }
    }
}
