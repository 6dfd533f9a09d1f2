package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HlsProfileTest {

    private final HlsProfile ladder = HlsProfile.parse("1080,720,480,360", 4);

    private List<String> sizes(int width, int height) {
        return ladder.rungs(width, height, 30).stream().map(r -> r.name() + " " + r.width() + "x" + r.height()).toList();
    }

    @Test
    void a_1080p_source_gets_every_rung_at_16_by_9_even_sizes() {
        assertThat(sizes(1920, 1080)).containsExactly("1080p 1920x1080", "720p 1280x720", "480p 854x480", "360p 640x360");
    }

    @Test
    void never_upscales_a_480p_source_and_drops_the_rungs_above_it() {
        assertThat(sizes(640, 480)).containsExactly("480p 640x480", "360p 480x360");
        // between two rungs: the ones below it, not one at its own size
        assertThat(sizes(1280, 600)).containsExactly("480p 1024x480", "360p 768x360");
    }

    @Test
    void a_portrait_source_is_laddered_by_its_short_side() {
        assertThat(sizes(1080, 1920)).containsExactly("1080p 1080x1920", "720p 720x1280", "480p 480x854", "360p 360x640");
    }

    @Test
    void a_source_below_the_smallest_rung_gets_one_rung_at_its_own_even_size() {
        assertThat(sizes(320, 240)).containsExactly("240p 320x240");
        assertThat(sizes(321, 181)).containsExactly("180p 320x180");
        assertThat(sizes(180, 320)).containsExactly("180p 180x320");
    }

    @Test
    void caps_the_peak_rate_by_pixels_and_more_above_30_frames_a_second() {
        assertThat(ladder.rungs(1920, 1080, 30)).extracting(HlsProfile.Rung::maxrateKbps)
                .containsExactly(6800, 3000, 1400, 800);
        assertThat(ladder.rungs(1280, 720, 60).get(0).maxrateKbps()).isEqualTo(6100);
    }

    @Test
    void refuses_a_ladder_that_is_not_a_list_of_even_heights() {
        assertThatThrownBy(() -> HlsProfile.parse("720,abc", 4)).hasMessageContaining("HLS_LADDER");
        assertThatThrownBy(() -> HlsProfile.parse("721", 4)).hasMessageContaining("HLS_LADDER");
        assertThatThrownBy(() -> HlsProfile.parse("720", 0)).hasMessageContaining("HLS_SEGMENT_SECONDS");
        assertThat(HlsProfile.parse(" 360, 720 ,720", 4).ladder()).containsExactly(720, 360);
    }
}
