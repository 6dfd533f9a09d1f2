package io.mediacompression.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisUrlTest {

    @Test
    void reads_host_port_and_database_with_defaults() {
        assertThat(RedisUrl.parse("redis://cache.internal"))
                .isEqualTo(new RedisUrl("redis", "cache.internal", 6379, Optional.empty(), Optional.empty(), 0));
        assertThat(RedisUrl.parse("rediss://10.0.0.7:6380/3/"))
                .isEqualTo(new RedisUrl("rediss", "10.0.0.7", 6380, Optional.empty(), Optional.empty(), 3));
        assertThat(RedisUrl.parse("redis://[::1]:7000").address()).isEqualTo("redis://[::1]:7000");
        // compose service names may hold '_', which java.net.URI does not take as a host
        assertThat(RedisUrl.parse("redis://redis_1:6379").host()).isEqualTo("redis_1");
    }

    @Test
    void reads_percent_encoded_credentials_and_keeps_a_plus_sign() {
        RedisUrl url = RedisUrl.parse("redis://:p%40ss+w%2Frd@h:1/0");
        assertThat(url.password()).contains("p@ss+w/rd");
        assertThat(url.username()).isEmpty();
        assertThat(RedisUrl.parse("redis://app:secret@h").username()).contains("app");
        assertThat(RedisUrl.parse("redis://secret@h").password()).contains("secret");
        assertThat(RedisUrl.parse("redis://:unencoded@at@h:2").password()).contains("unencoded@at");
    }

    @Test
    void never_shows_the_password() {
        assertThat(RedisUrl.parse("redis://app:secret@h:1/2")).hasToString("redis://app:***@h:1/2");
        assertThatThrownBy(() -> RedisUrl.parse("redis://:secret@h:99999")).hasMessageNotContaining("secret")
                .hasMessageContaining("port");
        assertThatThrownBy(() -> RedisUrl.parse("redis://:secret@h:1/db")).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> RedisUrl.parse("http://:secret@h")).hasMessageNotContaining("secret");
    }
}
