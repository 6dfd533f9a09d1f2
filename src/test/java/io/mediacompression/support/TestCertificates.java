package io.mediacompression.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made with the openssl commands of the README: a CA, a server certificate for 127.0.0.1 signed by it,
 * and client certificates signed by it or by another CA. EC P-256 keys, so they are made in milliseconds.
 */
public final class TestCertificates {

    private final Path dir;

    public TestCertificates(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** {@code <name>.key} and {@code <name>.crt}: a self-signed CA. */
    public TestCertificates ca(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return this;
    }

    /** {@code <name>.key} and {@code <name>.crt}: a server certificate for 127.0.0.1 and localhost, signed by {@code ca}. */
    public TestCertificates server(String name, String ca) throws Exception {
        return signed(name, ca, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    }

    /** {@code <name>.key} and {@code <name>.crt}: a client certificate signed by {@code ca}. */
    public TestCertificates client(String name, String ca) throws Exception {
        return signed(name, ca, "extendedKeyUsage=clientAuth\n");
    }

    private TestCertificates signed(String name, String ca, String extensions) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
        return this;
    }

    /** Runs a command in the certificates' directory and returns its output; fails on a non-zero exit. */
    public String run(String... command) throws Exception {
        Result result = attempt(command);
        if (result.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exit() + ":\n" + result.output());
        }
        return result.output();
    }

    /** Runs a command in the certificates' directory, whatever its exit code. */
    public Result attempt(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    public record Result(int exit, String output) {
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }
}
