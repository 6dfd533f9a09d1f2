package io.mediacompression.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An HTTP/1.1 client that sends exactly the bytes it is given, for requests no well-behaved client would send:
 * broken multipart bodies, a body that stops halfway and stays silent.
 */
public final class RawHttp {

    /** The answer: its status (0 when none came) and everything after the status line. */
    public record Answer(int status, String rest) {
    }

    private RawHttp() {
    }

    /**
     * Sends a POST with these headers and body bytes; the body may be shorter than {@code contentLength}, and then the
     * connection stays open and silent, as a client that stalls would leave it.
     */
    public static Answer post(int port, String path, String headers, byte[] body, long contentLength, Duration wait)
            throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) wait.toMillis());
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers
                    + "Content-Length: " + contentLength + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
                String text = received.toString(StandardCharsets.ISO_8859_1);
                int headEnd = text.indexOf("\r\n\r\n");
                if (headEnd >= 0 && complete(text, headEnd)) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived before the wait ran out or the server closed is the answer
        }
        String text = received.toString(StandardCharsets.UTF_8);
        if (!text.startsWith("HTTP/1.1 ")) {
            return new Answer(0, text);
        }
        return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(12));
    }

    // an answer with Content-Length is complete once that many body bytes arrived
    private static boolean complete(String text, int headEnd) {
        String head = text.substring(0, headEnd).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int end = head.indexOf("\r\n", at);
        long length = Long.parseLong(head.substring(at + 15, end < 0 ? head.length() : end).trim());
        return text.length() - headEnd - 4 >= length;
    }
}
