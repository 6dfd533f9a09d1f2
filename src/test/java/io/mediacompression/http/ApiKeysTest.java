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

    @Test
    void internal_service_keys_are_the_only_ones_the_handshake_endpoints_take_once_set() {
        ApiKeys shared = new ApiKeys("api-key", "", java.util.Optional.empty());
        assertThat(shared.acceptsInternal("api-key")).isTrue();

        ApiKeys split = new ApiKeys("api-key", "svc-old, svc-new", java.util.Optional.empty());
        assertThat(split.acceptsInternal("svc-old")).isTrue();
        assertThat(split.acceptsInternal("svc-new")).isTrue();
        assertThat(split.acceptsInternal("api-key")).isFalse();
        assertThat(split.accepts("api-key")).isTrue();
        assertThat(split.accepts("svc-new")).isFalse();
        assertThatThrownBy(() -> split.checkInternal("api-key", null, null)).isInstanceOf(ApiException.class);
        split.checkInternal(null, "svc-new", null);
        split.checkInternal("svc-old", null, null);
    }
}
