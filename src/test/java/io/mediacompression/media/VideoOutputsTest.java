package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VideoOutputsTest {

    @Test
    void reads_mp4_hls_and_both_in_any_order_and_case() {
        assertThat(VideoOutputs.parse("mp4")).isEqualTo(new VideoOutputs(true, false));
        assertThat(VideoOutputs.parse("hls")).isEqualTo(new VideoOutputs(false, true));
        assertThat(VideoOutputs.parse(" HLS , mp4 ")).isEqualTo(new VideoOutputs(true, true));
        assertThat(VideoOutputs.parse("hls,mp4").text()).isEqualTo("mp4,hls");
    }

    @Test
    void refuses_anything_else() {
        for (String wrong : new String[] {"", " ", "dash", "mp4,", "mp4,,hls", "mp4;hls", "webm"}) {
            assertThatThrownBy(() -> VideoOutputs.parse(wrong)).as(wrong).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
