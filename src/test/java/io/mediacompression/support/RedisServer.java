package io.mediacompression.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real {@code redis-server} process on a free loopback port, with its own directory and no persistence (or an
 * append-only file, {@link #withAppendOnlyFile()}). It can
 * be stopped and started again on the same port, so a test can take Redis away in the middle of a job.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final Path directory;
    private final int port;
    private final Optional<String> password;
    private final boolean appendOnly;
    private final Thread killOnExit;
    private Process process;

    /** A server without a password. */
    public RedisServer() throws IOException, InterruptedException {
        this(Optional.empty(), false);
    }

    /** A server whose default user needs {@code password} ({@code requirepass}). */
    public static RedisServer withPassword(String password) throws IOException, InterruptedException {
        return new RedisServer(Optional.of(password), false);
    }

    /**
     * A server that writes every change to its append-only file before answering ({@code appendfsync always}), so
     * that a crash ({@link #stop()}) and a {@link #start()} lose nothing that it acknowledged.
     */
    public static RedisServer withAppendOnlyFile() throws IOException, InterruptedException {
        return new RedisServer(Optional.empty(), true);
    }

    private RedisServer(Optional<String> password, boolean appendOnly) throws IOException, InterruptedException {
        this.appendOnly = appendOnly;
        this.directory = Files.createTempDirectory("redis-test");
        this.port = freePort();
        this.password = password;
        // a test run that ends without close() must not leave a redis-server behind
        this.killOnExit = new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        });
        Runtime.getRuntime().addShutdownHook(killOnExit);
        start();
    }

    public int port() {
        return port;
    }

    /** The REDIS_URL of this server: {@code redis://[:password@]127.0.0.1:<port>}. */
    public String url() {
        return "redis://" + password.map(p -> ":" + URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20") + "@").orElse("")
                + "127.0.0.1:" + port;
    }

    /** Starts the server (again, on the same port after {@link #stop()}) and waits until it answers PING. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(executable(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", appendOnly ? "yes" : "no",
                "--appendfsync", "always", "--dir", directory.toString(),
                "--daemonize", "no", "--loglevel", "warning"));
        password.ifPresent(p -> command.addAll(List.of("--requirepass", p)));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("redis.log").toFile())
                .start();
        awaitPong();
    }

    /** Kills the server at once, as a crash would; its data is gone unless it has an append-only file. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-server on port " + port + " did not exit");
        }
        process = null;
    }

    /**
     * Stops the server's process ({@code SIGSTOP}) or lets it go on ({@code SIGCONT}): its connections stay open and
     * nothing answers, as behind a network that drops every packet.
     */
    public synchronized void freeze(boolean frozen) throws IOException, InterruptedException {
        Process signal = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid()))
                .inheritIO().start();
        if (signal.waitFor() != 0) {
            throw new IllegalStateException("kill exited with " + signal.exitValue());
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process != null) {
            freeze(false);
        }
        stop();
        Runtime.getRuntime().removeShutdownHook(killOnExit);
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs one command in database 0 and returns its reply: a bulk string's content, or the line of any other reply. */
    public String command(String... words) throws IOException {
        return commandIn(0, words);
    }

    /** Runs one command in the given database; a {@code null} bulk reply comes back as {@code null}. */
    public String commandIn(int database, String... words) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (password.isPresent()) {
                expectOk(send(out, in, "AUTH", password.get()));
            }
            if (database != 0) {
                expectOk(send(out, in, "SELECT", Integer.toString(database)));
            }
            return send(out, in, words);
        }
    }

    private static void expectOk(String reply) {
        if (!"OK".equals(reply)) {
            throw new IllegalStateException("redis-server answered " + reply);
        }
    }

    private static String send(OutputStream out, InputStream in, String... words) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + words.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String word : words) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            request.writeBytes(bytes);
            request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(request.toByteArray());
        out.flush();
        String line = readLine(in);
        return switch (line.charAt(0)) {
            case '+', ':' -> line.substring(1);
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    yield null;
                }
                String bulk = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                readLine(in);
                yield bulk;
            }
            default -> line;
        };
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IOException("redis-server closed the connection");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private void awaitPong() throws IOException {
        try {
            Awaitility.await().atMost(STARTUP)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> !process.isAlive() || "PONG".equals(command("PING")));
        } catch (ConditionTimeoutException e) {
            // reported below with the server's log
        }
        if (!process.isAlive() || !"PONG".equals(pingOnce())) {
            process.destroyForcibly();
            throw new IllegalStateException("redis-server did not answer PING on port " + port + ": "
                    + Files.readString(directory.resolve("redis.log")));
        }
    }

    private String pingOnce() {
        try {
            return command("PING");
        } catch (IOException notListening) {
            return null;
        }
    }

    private static String executable() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("redis-server is not installed: run "
                        + "scripts/install-packages.sh (or apt-get install redis-server) before the tests"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
