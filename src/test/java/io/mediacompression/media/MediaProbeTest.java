package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MediaProbeTest {

    @Test
    void reads_the_first_real_video_stream_and_the_audio_streams() {
        MediaProbe probe = MediaProbe.parse("""
                {"streams": [
                  {"index": 0, "codec_type": "video", "codec_name": "mjpeg", "width": 300, "height": 300,
                   "disposition": {"attached_pic": 1}},
                  {"index": 1, "codec_type": "video", "codec_name": "hevc", "width": 1920, "height": 1080,
                   "pix_fmt": "yuv420p10le", "color_transfer": "arib-std-b67", "sample_aspect_ratio": "1:1",
                   "bit_rate": "9000000", "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]},
                  {"index": 2, "codec_type": "audio", "codec_name": "aac", "channels": 2, "bit_rate": "128000"}],
                 "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "12.5", "bit_rate": "9200000"}}
                """);
        assertThat(probe.video()).get().satisfies(v -> {
            assertThat(v.index()).isEqualTo(1);
            assertThat(v.rotation()).isEqualTo(270);
            assertThat(v.displayWidth()).isEqualTo(1080);
            assertThat(v.displayHeight()).isEqualTo(1920);
            assertThat(v.colorTransfer()).isEqualTo("arib-std-b67");
        });
        assertThat(probe.firstAudio()).get().extracting(MediaProbe.AudioStream::index).isEqualTo(2);
        assertThat(probe.durationSeconds()).isEqualTo(12.5);
    }

    @Test
    void applies_a_non_square_sample_aspect_ratio() {
        MediaProbe probe = MediaProbe.parse("""
                {"streams": [{"index": 0, "codec_type": "video", "width": 720, "height": 576, "sample_aspect_ratio": "16:11"}],
                 "format": {}}
                """);
        assertThat(probe.video().get().displayWidth()).isEqualTo(1047);
    }

    @Test
    void treats_anything_but_ffprobe_json_as_unreadable_media() {
        assertThatThrownBy(() -> MediaProbe.parse("")).isInstanceOf(UnreadableMedia.class);
        assertThatThrownBy(() -> MediaProbe.parse("not json")).isInstanceOf(UnreadableMedia.class);
    }
}
