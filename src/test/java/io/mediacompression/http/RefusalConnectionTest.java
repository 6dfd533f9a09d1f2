package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a refusal does to the connection it came on. Under HTTP/1.1 an unread upload body ends the connection
 * after the answer, a refused GET does not. With HTTP_H2C on, the server also speaks HTTP/2 over cleartext (h2c, which
 * Java's HttpClient negotiates by default): there a refusal ends only its own stream, the other uploads on the
 * connection go on.
 */
class RefusalConnectionTest {

    private static final String BOUNDARY = "h2-boundary";
    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    // h2c is off by default (HTTP_H2C): it would leave a half-sent first request untimed
    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application().with("http.h2c", "true");

    @TempDir
    Path root;

    private RunningService service;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

    @Test
    void a_refusal_over_http2_is_answered_and_leaves_other_uploads_on_the_connection_running() throws Exception {
        HttpResponse<String> upgrade = client.send(get("/status/warm-up", RunningService.KEY), HttpResponse.BodyHandlers.ofString());
        assertThat(upgrade.version()).isEqualTo(HttpClient.Version.HTTP_2);

        // an upload whose last bytes wait until the refusals below have been answered
        CountDownLatch bodyStarted = new CountDownLatch(1);
        CountDownLatch finishBody = new CountDownLatch(1);
        InputStream heldBack = new SequenceInputStream(
                new ByteArrayInputStream(concat(partHead("slow"), PNG_HEAD)),
                new InputStream() {
                    private final InputStream tail = new ByteArrayInputStream(partTail());

                    @Override
                    public int read() throws IOException {
                        bodyStarted.countDown();
                        try {
                            finishBody.await();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        return tail.read();
                    }
                });
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                multipart(RunningService.KEY, HttpRequest.BodyPublishers.ofInputStream(() -> heldBack)),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bodyStarted.await(30, TimeUnit.SECONDS)).isTrue();

        // refused before its body is read; kept within the flow-control window, as JDK 17's client hangs on a
        // larger body once the stream is reset (JDK-8293786, JDK-8309118; fixed in later JDKs)
        HttpResponse<String> refusedUpload = client.send(
                multipart("wrong", HttpRequest.BodyPublishers.ofByteArray(concat(partHead("refused"), new byte[32 * 1024], partTail()))),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refusedUpload.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(refusedUpload.statusCode()).isEqualTo(401);
        assertThat(refusedUpload.body()).isEqualTo("{\"error\":\"Unauthorized\"}");

        HttpResponse<String> refusedStatus = client.send(get("/status/slow", "wrong"), HttpResponse.BodyHandlers.ofString());
        assertThat(refusedStatus.statusCode()).isEqualTo(401);

        finishBody.countDown();
        HttpResponse<String> accepted = slow.get(30, TimeUnit.SECONDS);
        assertThat(accepted.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).contains("\"mediaId\":\"slow\"");
        assertThat(service.statusOf("refused")).isEqualTo("not_found");
    }

    @Test
    void a_refused_get_over_http1_keeps_the_connection_open() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 2; i++) {
                out.write(("GET /status/m1 HTTP/1.1\r\nHost: localhost\r\nX-API-Key: wrong\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readUntil(in, "\r\n\r\n");
                assertThat(head).startsWith("HTTP/1.1 401").doesNotContainIgnoringCase("connection: close");
                assertThat(readBody(in, head)).isEqualTo("{\"error\":\"Unauthorized\"}");
            }
        }
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder read = new StringBuilder();
        while (!read.toString().endsWith(end)) {
            int c = in.read();
            if (c == -1) {
                throw new IOException("connection closed after: " + read);
            }
            read.append((char) c);
        }
        return read.toString();
    }

    private static String readBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (!lower.contains("transfer-encoding: chunked")) {
            int length = lower.lines().filter(l -> l.startsWith("content-length:"))
                    .map(l -> Integer.parseInt(l.substring("content-length:".length()).trim())).findFirst().orElse(0);
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
        StringBuilder body = new StringBuilder();
        for (int size = Integer.parseInt(readLine(in), 16); size > 0; size = Integer.parseInt(readLine(in), 16)) {
            body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            readLine(in);
        }
        readLine(in);
        return body.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        String line = readUntil(in, "\r\n");
        return line.substring(0, line.length() - 2);
    }

    private HttpRequest get(String path, String key) {
        return HttpRequest.newBuilder(uri(path)).header("X-API-Key", key).build();
    }

    private HttpRequest multipart(String key, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(uri("/compress/"))
                .header("X-API-Key", key)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(body)
                .build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.port() + path);
    }

    private static byte[] partHead(String mediaId) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"media_id\"\r\n\r\n" + mediaId + "\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] partTail() {
        return ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
