package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.mediacompression.ServiceConfiguration;
import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.SftpStandIn;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFTP_STRICT_HOST_KEY_CHECKING=no: no known_hosts needed, any server accepted, and a warning at every start. */
class SftpVerificationOffTest {

    @TempDir
    Path root;

    @Test
    void uploads_without_a_known_hosts_file_and_warns_at_start() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger log = (Logger) LogManager.getLogger(ServiceConfiguration.class);
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel() == Level.WARN) {
                    warnings.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        log.addAppender(capture);
        try (SftpStandIn sftp = new SftpStandIn(root.resolve("sftp-root"))) {
            Properties p = new Properties();
            p.setProperty("sftp.host", "127.0.0.1");
            p.setProperty("sftp.port", Integer.toString(sftp.port()));
            p.setProperty("sftp.user", SftpStandIn.USER);
            p.setProperty("sftp.password", SftpStandIn.PASSWORD);
            p.setProperty("sftp.strict-host-key-checking", "no");
            try (RunningService service = new RunningService(root, p)) {
                assertThat(warnings).singleElement().asString().contains("host key verification is OFF");

                service.upload(RunningService.KEY, Fixtures.jpeg(), "photo.jpg", "media_id", "unverified");
                assertThat(AwaitJob.finished(service, "unverified").path("status").asText()).isEqualTo("completed");
                assertThat(sftp.files()).singleElement().asString().startsWith("/public_html/images/");
            }
        } finally {
            log.removeAppender(capture);
        }
    }
}
