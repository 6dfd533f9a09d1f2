package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpSettingsTest {

    @TempDir
    Path dir;

    @Test
    void is_off_without_a_host_and_then_asks_for_nothing_else() {
        SftpSettings off = new SftpSettings("", 22, "", false, Optional.empty(), Optional.empty(), true, "/public_html");
        assertThat(off.enabled()).isFalse();
    }

    @Test
    void puts_results_in_the_kind_folder_under_the_base_dir() {
        assertThat(base("/public_html").remotePath("videos", "a.mp4")).isEqualTo("/public_html/videos/a.mp4");
        assertThat(base("/srv/media//").remotePath("images", "b.jpg")).isEqualTo("/srv/media/images/b.jpg");
        assertThat(base("public_html").remotePath("videos", "a.mp4")).isEqualTo("public_html/videos/a.mp4");
        assertThat(base("/").remotePath("videos", "a.mp4")).isEqualTo("/videos/a.mp4");
        assertThat(base("").remotePath("videos", "a.mp4")).isEqualTo("videos/a.mp4");
    }

    @Test
    void needs_a_user_and_a_password_or_a_readable_key() {
        assertThatThrownBy(() -> new SftpSettings("h", 22, "", true, Optional.empty(), Optional.empty(), false, "/"))
                .hasMessageContaining("SFTP_USER");
        assertThatThrownBy(() -> new SftpSettings("h", 22, "u", false, Optional.empty(), Optional.empty(), false, "/"))
                .hasMessageContaining("SFTP_PASSWORD").hasMessageContaining("SFTP_PRIVATE_KEY_FILE");
        assertThatThrownBy(() -> new SftpSettings("h", 22, "u", false, Optional.of(dir.resolve("missing")),
                Optional.empty(), false, "/")).hasMessageContaining("SFTP_PRIVATE_KEY_FILE");
        assertThatThrownBy(() -> new SftpSettings("h", 0, "u", true, Optional.empty(), Optional.empty(), false, "/"))
                .hasMessageContaining("SFTP_PORT");
    }

    @Test
    void needs_a_readable_known_hosts_file_while_host_keys_are_verified() throws Exception {
        assertThatThrownBy(() -> new SftpSettings("h", 22, "u", true, Optional.empty(), Optional.empty(), true, "/"))
                .hasMessageContaining("SFTP_KNOWN_HOSTS_FILE");
        assertThatThrownBy(() -> new SftpSettings("h", 22, "u", true, Optional.empty(),
                Optional.of(dir.resolve("missing")), true, "/")).hasMessageContaining("SFTP_KNOWN_HOSTS_FILE");
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        assertThat(new SftpSettings("h", 22, "u", true, Optional.empty(), Optional.of(knownHosts), true, "/").enabled())
                .isTrue();
    }

    private static SftpSettings base(String baseDir) {
        return new SftpSettings("", 22, "", false, Optional.empty(), Optional.empty(), true, baseDir);
    }
}
