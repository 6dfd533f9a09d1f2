package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients: connections whose request line or headers stop halfway are closed by the server after
 * HTTP_HEADER_TIMEOUT while /status keeps answering, and connections beyond HTTP_MAX_CONNECTIONS are refused and
 * counted.
 */
class SlowClientTest {

    private static final int CLIENTS = 300;
    private static final long TIMEOUT_MS = 2_000;

    // the service started by each test with its own settings
    @RegisterExtension
    final ServiceExtension app = ServiceExtension.application().startedByTest();

    @Test
    void half_sent_request_lines_and_headers_are_closed_within_the_header_timeout_while_status_answers() throws Exception {
        RunningService service = app.start("http.header-timeout", TIMEOUT_MS + "ms");
        List<Socket> sockets = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                Socket socket = new Socket("127.0.0.1", service.port());
                String half = i % 2 == 0 ? "GET /status/ab"
                        : "GET /status/abc HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + RunningService.KEY + "\r\nAcc";
                socket.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                sockets.add(socket);
            }
            // the service answers others while they hang, and holds them until their time is up
            for (int i = 0; i < 5; i++) {
                assertThat(service.status("abc").statusCode()).isEqualTo(200);
            }
            assertThat(sockets.stream().filter(s -> state(s, 1) == State.OPEN).count())
                    .as("still open before the timeout").isEqualTo(CLIENTS);

            long deadline = start + (TIMEOUT_MS + 4_000) * 1_000_000;
            int closed = 0;
            for (Socket socket : sockets) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (state(socket, (int) left) == State.CLOSED) {
                    closed++;
                }
            }
            assertThat(closed).as("closed by the server within the header timeout and a margin").isEqualTo(CLIENTS);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(TIMEOUT_MS);

            // a connection that sent its first request and then half of the next one on the same connection
            try (Socket keptAlive = new Socket("127.0.0.1", service.port())) {
                keptAlive.getOutputStream().write(("GET /status/abc HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                        + RunningService.KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                keptAlive.setSoTimeout(5_000);
                byte[] answer = new byte[4096];
                assertThat(new String(answer, 0, keptAlive.getInputStream().read(answer), StandardCharsets.US_ASCII))
                        .startsWith("HTTP/1.1 200");
                keptAlive.getOutputStream().write("GET /status/abc HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
                long sent = System.nanoTime();
                assertThat(state(keptAlive, (int) TIMEOUT_MS + 4_000)).isEqualTo(State.CLOSED);
                assertThat((System.nanoTime() - sent) / 1_000_000).isBetween(TIMEOUT_MS - 500, TIMEOUT_MS + 4_000);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        assertThat(service.status("abc").statusCode()).isEqualTo(200);
        assertThat(service.get("/observe/metrics", null).body())
                .containsPattern("media_http_header_timeouts_total(\\{[^}]*\\})? (3\\d\\d|[4-9]\\d\\d)\\.0");
    }

    @Test
    void connections_beyond_the_cap_are_closed_at_once_and_counted() throws Exception {
        RunningService service = app.start("http.max-connections", "5");
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(new Socket("127.0.0.1", service.port()));
        }
        // a scenario step, not polling: the server takes the five in its own time and shows it nowhere, and a
        // sixth connection sent before they are counted would be let in
        Thread.sleep(300);
        try (Socket sixth = new Socket("127.0.0.1", service.port())) {
            sixth.getOutputStream().write(("GET /status/abc HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                    + RunningService.KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(state(sixth, 5_000)).isEqualTo(State.CLOSED);
        }
        assertThat(state(held.get(0), 1)).isEqualTo(State.OPEN);
        for (Socket socket : held) {
            socket.close();
        }
        // the server counts the closed connections off in its own time: ask until it serves again
        assertThat(Awaitility.await().atMost(Duration.ofSeconds(5))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> service.status("abc").statusCode(), s -> s == 200)).isEqualTo(200);
        assertThat(service.get("/observe/metrics", null).body())
                .containsPattern("media_http_connections_refused_total(\\{[^}]*\\})? 1\\.0");
    }

    private enum State { OPEN, CLOSED, ANSWERED }

    /** Whether the server closed the socket (end of stream or reset) within {@code waitMs}, without answering. */
    private static State state(Socket socket, int waitMs) {
        try {
            socket.setSoTimeout(waitMs);
            int b = socket.getInputStream().read();
            return b < 0 ? State.CLOSED : State.ANSWERED;
        } catch (SocketTimeoutException e) {
            return State.OPEN;
        } catch (IOException e) {
            return State.CLOSED;
        }
    }
}
