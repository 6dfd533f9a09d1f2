package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import io.mediacompression.support.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS and mutual TLS on PORT with real TLS clients (the JDK's, curl, openssl s_client) and certificates made with
 * the README's openssl commands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutualTlsTest {

    private static final long MB = 1024 * 1024;

    // the service starts once the certificates it serves are made
    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application().with("jobs.workers", "1").startedByTest();

    @TempDir
    static Path root;

    private TestCertificates certs;
    private RunningService service;
    private String base;

    @BeforeAll
    void start() throws Exception {
        certs = new TestCertificates(root.resolve("certs"))
                .ca("clients-ca").server("api-server", "clients-ca").server("api-server-renewed", "clients-ca")
                .client("lms", "clients-ca").ca("other-ca").client("stranger", "other-ca");
        Files.copy(certs.file("api-server.crt"), certs.file("tls.crt"));
        Files.copy(certs.file("api-server.key"), certs.file("tls.key"));
        service = APP.start("tls.cert-file", certs.file("tls.crt").toString(),
                "tls.key-file", certs.file("tls.key").toString(),
                "tls.client-ca-file", certs.file("clients-ca.crt").toString(),
                "tls.reload-interval", "200ms");
        base = "https://127.0.0.1:" + service.port();
    }

    @Test
    void a_client_certificate_from_the_configured_ca_is_served_by_curl_and_by_the_jdk() throws Exception {
        String out = certs.run("curl", "-sS", "-w", "\n%{http_code}", "--cacert", "clients-ca.crt", "--cert", "lms.crt",
                "--key", "lms.key", "-H", "X-API-Key: " + RunningService.KEY, base + "/status/abc");
        assertThat(out).contains("\"status\":\"not_found\"").endsWith("\n200");

        HttpResponse<String> answer = jdkClient(true).send(HttpRequest.newBuilder(URI.create(base + "/status/abc"))
                .header("X-API-Key", RunningService.KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isIn("TLSv1.2", "TLSv1.3"));
    }

    @Test
    void no_client_certificate_or_one_from_another_ca_fails_the_handshake() throws Exception {
        TestCertificates.Result none = certs.attempt("curl", "-sS", "-w", "%{http_code}", "--cacert", "clients-ca.crt",
                "-H", "X-API-Key: " + RunningService.KEY, base + "/status/abc");
        assertThat(none.exit()).as(none.output()).isNotZero();
        assertThat(none.output()).doesNotContain("not_found");

        TestCertificates.Result stranger = certs.attempt("curl", "-sS", "-w", "%{http_code}", "--cacert",
                "clients-ca.crt", "--cert", "stranger.crt", "--key", "stranger.key",
                "-H", "X-API-Key: " + RunningService.KEY, base + "/status/abc");
        assertThat(stranger.exit()).as(stranger.output()).isNotZero();
        assertThat(stranger.output()).doesNotContain("not_found");

        assertThatThrownBy(() -> jdkClient(false).send(HttpRequest.newBuilder(URI.create(base + "/status/abc"))
                .header("X-API-Key", RunningService.KEY).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void tls_1_1_is_refused_by_the_server_and_tls_1_2_accepted() throws Exception {
        // SECLEVEL=0 lets openssl offer TLS 1.1 at all: the refusal must come from the server
        TestCertificates.Result old = certs.attempt("openssl", "s_client", "-connect", "127.0.0.1:" + service.port(),
                "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-cert", "lms.crt", "-key", "lms.key");
        assertThat(old.output()).containsIgnoringCase("alert protocol version");

        TestCertificates.Result current = certs.attempt("openssl", "s_client", "-connect",
                "127.0.0.1:" + service.port(), "-tls1_2", "-CAfile", "clients-ca.crt", "-cert", "lms.crt",
                "-key", "lms.key");
        assertThat(current.output()).contains("Protocol  : TLSv1.2").contains("Verify return code: 0 (ok)");
    }

    @Test
    void plain_http_on_the_api_port_gets_nothing() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", service.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /status/abc HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                    + RunningService.KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(socket.getInputStream());
            assertThat(answer).doesNotContain("HTTP/1.1").doesNotContain("not_found");
        }
    }

    @Test
    void a_certificate_replaced_on_disk_is_served_without_a_restart() throws Exception {
        assertThat(servedSubject()).contains("api-server").doesNotContain("renewed");
        // as cert-manager or a renewal script does: new files moved over the old ones
        Files.copy(certs.file("api-server-renewed.key"), certs.file("tls.key.new"));
        Files.copy(certs.file("api-server-renewed.crt"), certs.file("tls.crt.new"));
        Files.move(certs.file("tls.key.new"), certs.file("tls.key"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(certs.file("tls.crt.new"), certs.file("tls.crt"), StandardCopyOption.ATOMIC_MOVE);

        // the server looks at the files every tls.reload-interval, and tells no one: ask it what it serves
        String subject = Awaitility.await().atMost(Duration.ofSeconds(20))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(this::servedSubject, s -> s.contains("api-server-renewed"));
        assertThat(subject).contains("api-server-renewed");
        String out = certs.run("curl", "-sS", "-w", "\n%{http_code}", "--cacert", "clients-ca.crt", "--cert", "lms.crt",
                "--key", "lms.key", "-H", "X-API-Key: " + RunningService.KEY, base + "/status/abc");
        assertThat(out).endsWith("\n200");
    }

    @Test
    void a_large_upload_over_mutual_tls_is_accepted_whole() throws Exception {
        // an MP4 head (ftyp) then zeros, sparse on disk: accepted by type, then refused by ffprobe at once. 64 MB keeps
        // the suite quick; bench/mtls-upload sends 500 MB both ways and compares with plain HTTP
        Path big = root.resolve("big.mp4");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
                'i', 's', 'o', 'm', 'm', 'p', '4', '1'});
            f.setLength(64 * MB);
        }
        String out = certs.run("curl", "-sS", "-w", "\n%{http_code} %{size_upload}", "--cacert", "clients-ca.crt",
                "--cert", "lms.crt", "--key", "lms.key", "-H", "X-API-Key: " + RunningService.KEY,
                "-F", "media_id=big-over-mtls", "-F", "file=@" + big, base + "/compress/");
        assertThat(out).contains("\"status\":\"accepted\"");
        String[] last = out.substring(out.lastIndexOf('\n') + 1).split(" ");
        assertThat(last[0]).isEqualTo("200");
        assertThat(Long.parseLong(last[1])).isGreaterThan(64 * MB);
        Files.delete(big);
    }

    private String servedSubject() throws Exception {
        String out = certs.attempt("openssl", "s_client", "-connect", "127.0.0.1:" + service.port(),
                "-cert", "lms.crt", "-key", "lms.key", "-CAfile", "clients-ca.crt").output();
        return out.lines().filter(l -> l.startsWith("subject=")).findFirst().orElse(out);
    }

    private HttpClient jdkClient(boolean withCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certs.file("clients-ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (withCertificate) {
            certs.run("openssl", "pkcs12", "-export", "-in", "lms.crt", "-inkey", "lms.key", "-out", "lms.p12",
                    "-passout", "pass:changeit");
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(certs.file("lms.p12"))) {
                keys.load(in, "changeit".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "changeit".toCharArray());
        }
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static String readAll(InputStream in) {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            // a reset is nothing too
        }
        return text.toString();
    }
}
