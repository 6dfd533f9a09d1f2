package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * More uploads at once than the HTTP server has worker threads (64): each upload's route waits on a worker thread
 * for its body, so the disk writes must not need one of those threads too.
 */
class UploadBurstTest {

    private static final int UPLOADS = 80;
    private static final String BOUNDARY = "burst-boundary";

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application()
            .with("jobs.queue-size", Integer.toString(UPLOADS))
            .with("http.upload-stall-timeout", "3s");

    private RunningService service;

    @Test
    void eighty_uploads_begun_together_are_all_accepted() throws Exception {
        service.stopWorkers();
        List<Socket> clients = new ArrayList<>();
        try {
            // every upload sends its headers and the start of its file before any sends the rest: all are in flight
            for (int i = 0; i < UPLOADS; i++) {
                Socket client = new Socket("127.0.0.1", service.port());
                client.setSoTimeout(30_000);
                clients.add(client);
                client.getOutputStream().write(head("burst-" + i));
                client.getOutputStream().flush();
            }
            for (Socket client : clients) {
                OutputStream out = client.getOutputStream();
                out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            List<String> statusLines = new ArrayList<>();
            for (Socket client : clients) {
                statusLines.add(statusLine(client.getInputStream()));
            }
            assertThat(statusLines).hasSize(UPLOADS).allMatch(line -> line.startsWith("HTTP/1.1 200"), "200 OK");
        } finally {
            for (Socket client : clients) {
                client.close();
            }
        }
        assertThat(service.stagedUploads()).hasSize(UPLOADS);
    }

    /** The request up to the file part's content, of which it holds all but the closing boundary. */
    private static byte[] head(String mediaId) {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};
        String fields = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"media_id\"\r\n\r\n" + mediaId
                + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n";
        String tail = "\r\n--" + BOUNDARY + "--\r\n";
        int length = fields.length() + png.length + tail.length();
        String headers = "POST /compress/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + RunningService.KEY
                + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + length
                + "\r\nConnection: close\r\n\r\n";
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((headers + fields).getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(png);
        return request.toByteArray();
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }
}
