package io.mediacompression.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A local HTTP server standing in for the LMS: records every request it receives (method, path, headers, body, time)
 * and answers with scripted status codes. Can be stopped and started again on the same port to play "LMS down".
 */
public final class LmsStandIn implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String method, String path, Map<String, List<String>> headers, byte[] body, Instant at) {
        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Object arrivals = new Object();
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final int port;
    private HttpServer server;

    public LmsStandIn() throws IOException {
        this(0);
    }

    private LmsStandIn(int port) throws IOException {
        this.server = start(port);
        this.port = server.getAddress().getPort();
    }

    /** Answers the next requests to {@code path} with these statuses in order; the last one repeats. Default 200. */
    public void answer(String path, int... statuses) {
        Deque<Integer> script = new ArrayDeque<>();
        for (int s : statuses) {
            script.add(s);
        }
        scripts.put(path, script);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits until {@code count} requests to {@code path} have arrived, and returns them. */
    public List<Received> await(String path, int count, Duration timeout) throws InterruptedException {
        return awaitMatching(path, r -> r.size() >= count, timeout)
                .orElseThrow(() -> new AssertionError("expected " + count + " requests to " + path + ", got "
                        + received(path).size()));
    }

    /** Waits until a request to {@code path} whose body contains {@code text} has arrived, and returns it. */
    public Received awaitBodyContaining(String path, String text, Duration timeout) throws InterruptedException {
        return awaitMatching(path, r -> r.stream().anyMatch(c -> c.bodyText().contains(text)), timeout)
                .flatMap(r -> r.stream().filter(c -> c.bodyText().contains(text)).findFirst())
                .orElseThrow(() -> new AssertionError("no request to " + path + " with " + text + " within " + timeout));
    }

    /** Fails as soon as more than {@code count} requests to {@code path} arrive within {@code during}. */
    public void assertNoMoreThan(String path, int count, Duration during) throws InterruptedException {
        awaitMatching(path, r -> r.size() > count, during).ifPresent(r -> {
            throw new AssertionError("expected no more than " + count + " requests to " + path + ", got " + r.size());
        });
    }

    /** Waits, woken by each request that arrives, until the requests to {@code path} match; empty after the timeout. */
    private Optional<List<Received>> awaitMatching(String path, Predicate<List<Received>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (arrivals) {
            for (long left = timeout.toNanos(); !done.test(received(path)); left = deadline - System.nanoTime()) {
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(arrivals, left);
            }
        }
        return Optional.of(received(path));
    }

    /** The LMS goes down: connections are refused until {@link #restart()}. */
    public synchronized void stop() {
        server.stop(0);
    }

    public synchronized void restart() throws IOException {
        server = start(port);
    }

    @Override
    public void close() {
        stop();
    }

    private HttpServer start(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        s.setExecutor(Executors.newCachedThreadPool());
        s.createContext("/", this::handle);
        s.start();
        return s;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        Received request = new Received(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()),
                body, Instant.now());
        synchronized (arrivals) {
            received.add(request);
            arrivals.notifyAll();
        }
        int status = next(path);
        byte[] answer = ("{\"status\":" + status + "}").getBytes();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private int next(String path) {
        Deque<Integer> script = scripts.get(path);
        if (script == null || script.isEmpty()) {
            return 200;
        }
        synchronized (script) {
            return script.size() > 1 ? script.poll() : script.peek();
        }
    }

    /** How long the stand-in waited between two requests, for checking backoff. */
    public static Duration between(Received first, Received second) {
        return Duration.between(first.at(), second.at());
    }
}
