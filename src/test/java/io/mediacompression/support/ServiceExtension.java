package io.mediacompression.support;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up the real-neighbour tests share: a temporary root, the neighbours a test asks for (LMS stand-in, SFTP
 * server, redis-server) and the service itself ({@link RunningService}) with their addresses as properties.
 * Registered on a {@code static} field it starts all once for the class, on an instance field once for each test:
 * <pre>
 * &#64;RegisterExtension
 * static final ServiceExtension APP = ServiceExtension.application().with("jobs.workers", "1").withLms("lms.store-url", "/store");
 * </pre>
 * Before each test it sets the test's instance fields of type {@link RunningService}, {@link LmsStandIn},
 * {@link RedisServer} and {@link SftpStandIn} to what it started (the service: the one it started itself, not one
 * the test starts), so the test reads {@code service.upload(...)}.
 * With {@link #startedByTest()} the test starts the service itself ({@link #start(String...)}, its own settings on
 * top of the shared ones); the extension still stops it and the neighbours.
 */
public final class ServiceExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final Map<String, Function<ServiceExtension, String>> settings = new LinkedHashMap<>();
    private boolean lmsWanted;
    private boolean redisWanted;
    private boolean sftpWanted;
    private String sftpPassword;
    private boolean serviceWanted = true;
    private boolean startedByTest;
    private boolean workersStopped;

    private boolean perClass;
    private Path root;
    private LmsStandIn lms;
    private RedisServer redis;
    private SftpStandIn sftp;
    private final List<RunningService> services = new ArrayList<>();
    private int started;
    private int startedBeforeTest;

    private ServiceExtension() {
    }

    /** The service with the application's defaults, on a free port with its own WORK_DIR and OUTPUT_DIR. */
    public static ServiceExtension application() {
        return new ServiceExtension();
    }

    /** The neighbours alone, for tests of a bean against them. */
    public static ServiceExtension neighboursOnly() {
        ServiceExtension extension = new ServiceExtension();
        extension.serviceWanted = false;
        return extension;
    }

    /** One setting of the service. */
    public ServiceExtension with(String name, String value) {
        settings.put(name, ignored -> value);
        return this;
    }

    /** One setting made from the neighbours once they run (a URL with their port). */
    public ServiceExtension with(String name, Function<ServiceExtension, String> value) {
        settings.put(name, value);
        return this;
    }

    /** An LMS stand-in, without telling the service of it. */
    public ServiceExtension withLms() {
        lmsWanted = true;
        return this;
    }

    /** An LMS stand-in whose {@code path} is the service's {@code setting} (lms.store-url, client-confirm.url). */
    public ServiceExtension withLms(String setting, String path) {
        lmsWanted = true;
        return with(setting, e -> e.lms().url(path));
    }

    /** A redis-server, as the service's redis.url. */
    public ServiceExtension withRedis() {
        redisWanted = true;
        return with("redis.url", e -> e.redis().url());
    }

    /** A redis-server the service is not told of. */
    public ServiceExtension withRedisOnly() {
        redisWanted = true;
        return this;
    }

    /** An SFTP server with password login, its host key trusted by the service. */
    public ServiceExtension withSftp() {
        return withSftp(SftpStandIn.PASSWORD);
    }

    /** {@link #withSftp()} with this password for {@link SftpStandIn#USER}. */
    public ServiceExtension withSftp(String password) {
        sftpWanted = true;
        sftpPassword = password;
        return with("sftp.host", "127.0.0.1")
                .with("sftp.port", e -> Integer.toString(e.sftp().port()))
                .with("sftp.user", SftpStandIn.USER)
                .with("sftp.password", password)
                .with("sftp.known-hosts-file", e -> e.knownHostsFile());
    }

    /** The service with its worker route stopped: uploads stay queued, their files staged. */
    public ServiceExtension withWorkersStopped() {
        workersStopped = true;
        return this;
    }

    /** The test starts the service with {@link #start(String...)}; the neighbours start before it as usual. */
    public ServiceExtension startedByTest() {
        startedByTest = true;
        return this;
    }

    public RunningService service() {
        if (services.isEmpty()) {
            throw new IllegalStateException("no service started");
        }
        return services.get(services.size() - 1);
    }

    public LmsStandIn lms() {
        return require(lms, "withLms()");
    }

    public RedisServer redis() {
        return require(redis, "withRedis()");
    }

    public SftpStandIn sftp() {
        return require(sftp, "withSftp()");
    }

    /** The temporary directory of this class (static field) or test (instance field); the service's files are in it. */
    public Path root() {
        return root;
    }

    /**
     * Starts the service with the shared settings and these name/value pairs on top, under a directory of its own in
     * {@link #root()}; the extension stops it: after the test when a test started it, at the end of the class when a
     * {@code @BeforeAll} method did. A test that runs two instances calls this twice.
     */
    public RunningService start(String... more) throws Exception {
        Properties p = new Properties();
        settings.forEach((name, value) -> p.setProperty(name, value.apply(this)));
        for (int i = 0; i < more.length; i += 2) {
            p.setProperty(more[i], more[i + 1]);
        }
        RunningService service = new RunningService(root.resolve("service-" + ++started), p);
        services.add(service);
        if (workersStopped) {
            service.stopWorkers();
        }
        return service;
    }

    private void inject(Object test) throws IllegalAccessException {
        for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Object value = field.getType() == RunningService.class ? (startedByTest ? null : service())
                        : field.getType() == LmsStandIn.class ? lms
                        : field.getType() == RedisServer.class ? redis
                        : field.getType() == SftpStandIn.class ? sftp : null;
                if (value != null && !Modifier.isStatic(field.getModifiers()) && !Modifier.isFinal(field.getModifiers())) {
                    field.setAccessible(true);
                    field.set(test, value);
                }
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        setUp();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        tearDown();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            setUp();
        }
        startedBeforeTest = services.size();
        inject(context.getRequiredTestInstance());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            tearDown();
        } else {
            // what the test started itself; a service started in @BeforeAll stays for the class
            stopServices(services.subList(startedBeforeTest, services.size()));
        }
    }

    private void setUp() throws Exception {
        root = Files.createTempDirectory("service-test");
        if (lmsWanted) {
            lms = new LmsStandIn();
        }
        if (redisWanted) {
            redis = new RedisServer();
        }
        if (sftpWanted) {
            sftp = new SftpStandIn(root.resolve("sftp-root"), sftpPassword);
        }
        if (serviceWanted && !startedByTest) {
            start();
        }
    }

    private void tearDown() throws Exception {
        stopServices(services);
        if (sftp != null) {
            sftp.close();
            sftp = null;
        }
        if (redis != null) {
            redis.close();
            redis = null;
        }
        if (lms != null) {
            lms.close();
            lms = null;
        }
        delete(root);
    }

    private static void stopServices(List<RunningService> started) {
        for (RunningService service : started) {
            service.close();
        }
        started.clear();
    }

    private String knownHostsFile() {
        try {
            return sftp().writeKnownHosts(root.resolve("known_hosts")).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T require(T neighbour, String option) {
        if (neighbour == null) {
            throw new IllegalStateException("not started: register the extension " + option);
        }
        return neighbour;
    }

    private static void delete(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // a file a stopped service was still writing: the temp directory of the OS takes the rest
        }
    }
}
