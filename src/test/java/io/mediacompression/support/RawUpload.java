package io.mediacompression.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A multipart upload written byte by byte to a plain socket, so a test sees exactly how much the client had sent
 * when the answer came, and whether the server then closed the connection. The file part is a real signature
 * followed by zeros, generated as it is sent: nothing large is held in memory or on disk.
 */
public final class RawUpload {

    /** What came back, and how far the client had got. */
    public record Outcome(int status, String body, long bytesSentWhenAnswered, long bytesSentInTotal,
                          boolean serverClosedConnection) {
    }

    private static final int CHUNK = 64 * 1024;
    private static final String BOUNDARY = "raw-upload-boundary";

    private final int port;
    private final String apiKey;
    private final String mediaId;
    private final String filename;
    private final byte[] signature;

    public RawUpload(int port, String apiKey, String mediaId, String filename, byte[] signature) {
        this.port = port;
        this.apiKey = apiKey;
        this.mediaId = mediaId;
        this.filename = filename;
        this.signature = signature.clone();
    }

    /** Sends the file with chunked transfer encoding (no Content-Length) until {@code fileBytes} or the server stops it. */
    public Outcome chunked(long fileBytes) throws Exception {
        return send(Optional.empty(), fileBytes);
    }

    /** Declares the whole body's length up front, then sends it until {@code fileBytes} or the server stops it. */
    public Outcome withContentLength(long fileBytes) throws Exception {
        return send(Optional.of(multipartHead().length + fileBytes + multipartTail().length), fileBytes);
    }

    private Outcome send(Optional<Long> contentLength, long fileBytes) throws Exception {
        boolean chunked = contentLength.isEmpty();
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Outcome> answer = CompletableFuture.supplyAsync(() -> readAnswer(socket, sent),
                    task -> new Thread(task, "raw-upload-answer").start());
            try {
                out.write(requestHead(contentLength).getBytes(StandardCharsets.US_ASCII));
                write(out, multipartHead(), chunked, sent);
                write(out, signature, chunked, sent);
                byte[] zeros = new byte[CHUNK];
                for (long left = fileBytes - signature.length; left > 0 && !answer.isDone(); left -= CHUNK) {
                    write(out, left >= CHUNK ? zeros : Arrays.copyOf(zeros, (int) left), chunked, sent);
                }
                write(out, multipartTail(), chunked, sent);
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException refusedMidway) {
                // the server closed the connection while the body was still being sent: the answer tells why
            }
            return answer.get(60, TimeUnit.SECONDS);
        }
    }

    private Outcome readAnswer(Socket socket, AtomicLong sent) {
        try {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in);
            long sentWhenAnswered = sent.get();
            Map<String, String> headers = new HashMap<>();
            for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
                String[] nameValue = header.split(":", 2);
                headers.put(nameValue[0].trim().toLowerCase(Locale.ROOT), nameValue[1].trim());
            }
            String body = new String(readBody(in, headers), StandardCharsets.UTF_8);
            boolean closed = false;
            try {
                // a server that announces the close must not wait for the rest of the body before it closes
                socket.setSoTimeout(10_000);
                closed = "close".equalsIgnoreCase(headers.get("connection")) && in.read() == -1;
            } catch (SocketTimeoutException stillOpen) {
                closed = false;
            } catch (IOException reset) {
                closed = true;
            }
            long sentInTotal = sent.get();
            closeQuietly(socket);
            return new Outcome(Integer.parseInt(statusLine.split(" ")[1]), body, sentWhenAnswered, sentInTotal, closed);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw new IllegalStateException("No answer after " + sent.get() + " bytes sent", e);
        }
    }

    // Also ends a write that the server no longer reads.
    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(readLine(in), 16); size > 0; size = Integer.parseInt(readLine(in), 16)) {
            body.writeBytes(in.readNBytes(size));
            readLine(in);
        }
        readLine(in);
        return body.toByteArray();
    }

    private String requestHead(Optional<Long> contentLength) {
        return "POST /compress/ HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "X-API-Key: " + apiKey + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                + contentLength.map(n -> "Content-Length: " + n + "\r\n").orElse("Transfer-Encoding: chunked\r\n")
                + "\r\n";
    }

    private byte[] multipartHead() {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"media_id\"\r\n\r\n" + mediaId + "\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] multipartTail() {
        return ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(OutputStream out, byte[] bytes, boolean chunked, AtomicLong sent) throws IOException {
        if (chunked) {
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(bytes);
        if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        sent.addAndGet(bytes.length);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IOException("connection closed before the answer was complete");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
