package io.mediacompression.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real SFTP server (Apache MINA SSHD) standing in for the client's storage: its own ECDSA host key, password and
 * public-key login for {@link #USER}, files under a temporary root. Records every file opened for writing and every
 * rename, so a test can tell what a reader of the server could have seen. Can be stopped and started again on the
 * same port to play "server down", or come back with another host key to play "impostor".
 */
public final class SftpStandIn implements AutoCloseable {

    public static final String USER = "lms-uploader";
    /** Characters that mean something in a URI, so the test proves the password reaches the server unchanged. */
    public static final String PASSWORD = "p&ss=w+rd%20?#/ x";

    /** Something a client did to a file: {@code written} (opened for writing) or {@code renamed} (from, to). */
    public record Event(String kind, String path, String from, long size) {
    }

    private final Path root;
    private final int port;
    private final KeyPair hostKey;
    private final List<PublicKey> authorizedKeys = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final String password;
    private SshServer server;

    public SftpStandIn(Path root) throws Exception {
        this(root, PASSWORD);
    }

    /** A server whose password for {@link #USER} is this one. */
    public SftpStandIn(Path root, String password) throws Exception {
        this.password = password;
        this.root = Files.createDirectories(root);
        this.hostKey = newHostKey();
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        start(hostKey);
    }

    public int port() {
        return port;
    }

    /** The server's file tree: the client's `/` is this directory. */
    public Path root() {
        return root;
    }

    /** The server's host key as one known_hosts line, as `ssh-keyscan -p PORT 127.0.0.1` prints it. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** Lets {@link #USER} log in with the key of this OpenSSH public key file (`id_ed25519.pub`). */
    public void authorize(Path publicKeyFile) throws IOException, GeneralSecurityException {
        for (AuthorizedKeyEntry entry : AuthorizedKeyEntry.readAuthorizedKeys(publicKeyFile)) {
            authorizedKeys.add(entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
        }
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Regular files under the root, as paths relative to it. */
    public List<String> files() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> "/" + root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    /** The server goes down: connections are refused until {@link #restart()}. */
    public synchronized void stop() throws IOException {
        server.stop(true);
    }

    /** Back up, with its own host key (also after {@link #restartAsImpostor()}). */
    public synchronized void restart() throws IOException {
        server.stop(true);
        start(hostKey);
    }

    /** Comes back on the same port with a host key nobody has seen: what a client sees of an impostor. */
    public synchronized void restartAsImpostor() throws Exception {
        server.stop(true);
        start(newHostKey());
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private void start(KeyPair key) throws IOException {
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost("127.0.0.1");
        s.setPort(port);
        s.setKeyPairProvider(KeyPairProvider.wrap(key));
        s.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && this.password.equals(password));
        s.setPublickeyAuthenticator((user, offered, session) -> USER.equals(user)
                && authorizedKeys.stream().anyMatch(k -> KeyUtils.compareKeys(k, offered)));
        s.setKeyboardInteractiveAuthenticator(null);
        s.setFileSystemFactory(new VirtualFileSystemFactory(root));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.addSftpEventListener(new Recorder());
        s.setSubsystemFactories(List.of(sftp));
        // a port just released may take a moment to be free again, and nothing tells when: try until it binds
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                        s.start();
                        return true;
                    });
        } catch (ConditionTimeoutException e) {
            s.start(); // once more, for the exception that says why
        }
        server = s;
    }

    private static KeyPair newHostKey() throws GeneralSecurityException {
        return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    }

    private String name(Path path) {
        return path.toString().replace('\\', '/');
    }

    private final class Recorder implements SftpEventListener {
        @Override
        public void open(ServerSession session, String remoteHandle, Handle localHandle) {
            if (localHandle instanceof FileHandle file) {
                Set<?> options = file.getOpenOptions();
                if (options.contains(java.nio.file.StandardOpenOption.WRITE)
                        || options.contains(java.nio.file.StandardOpenOption.APPEND)) {
                    events.add(new Event("written", name(file.getFile()), null, -1));
                }
            }
        }

        @Override
        public void moving(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts)
                throws IOException {
            events.add(new Event("renamed", name(dstPath), name(srcPath), Files.size(srcPath)));
        }
    }

    /** The known_hosts file a client needs to trust this server. */
    public Path writeKnownHosts(Path file) throws IOException {
        return Files.writeString(file, knownHostsLine() + "\n", StandardCharsets.UTF_8);
    }
}
