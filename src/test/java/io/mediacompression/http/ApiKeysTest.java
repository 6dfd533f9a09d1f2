package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void accepts_every_configured_key_so_keys_can_be_rotated() {
        ApiKeys keys = new ApiKeys(" old-key , new-key ");
        assertThat(keys.accepts("old-key")).isTrue();
        assertThat(keys.accepts("new-key")).isTrue();
        assertThat(keys.accepts("new-key2")).isFalse();
        assertThat(keys.accepts("")).isFalse();
        assertThat(keys.accepts(null)).isFalse();
    }

    @Test
    void refuses_to_start_without_a_key() {
        assertThatThrownBy(() -> new ApiKeys(" , ")).hasMessageContaining("API_KEYS");
    }
}
