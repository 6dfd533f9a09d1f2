package io.mediacompression.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlsPackageTest {

    @TempDir
    Path dir;

    @Test
    void writes_a_webvtt_cue_per_storyboard_tile_pointing_at_its_place_in_the_sprite() {
        FfmpegCommand.Storyboard sb = FfmpegCommand.storyboard(12.5, 1920, 1080);
        assertThat(sb).isEqualTo(new FfmpegCommand.Storyboard(1, 13, 10, 160, 90));
        String vtt = HlsPackage.storyboardVtt(sb, 12.5);
        assertThat(vtt).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nstoryboard.jpg#xywh=0,0,160,90\n");
        assertThat(vtt).contains("00:00:09.000 --> 00:00:10.000\nstoryboard.jpg#xywh=1440,0,160,90\n")
                .endsWith("00:00:12.000 --> 00:00:12.500\nstoryboard.jpg#xywh=320,90,160,90\n");
        // a long video: at most 100 pictures, one every ceil(duration / 100) seconds; portrait tiles 160 high
        assertThat(FfmpegCommand.storyboard(3600, 1080, 1920)).isEqualTo(new FfmpegCommand.Storyboard(36, 100, 10, 90, 160));
    }

    @Test
    void raises_a_target_duration_shorter_than_a_rounded_segment() throws Exception {
        Path playlist = Files.writeString(dir.resolve("index.m3u8"), String.join("\n", List.of("#EXTM3U",
                "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:4", "#EXT-X-MAP:URI=\"init_0.mp4\"", "#EXTINF:4.6,",
                "segment-00000.m4s", "#EXTINF:2.0,", "segment-00001.m4s", "#EXT-X-ENDLIST")) + "\n");
        HlsPackage.MediaPlaylist read = HlsPackage.read(playlist);
        assertThat(read.targetDuration()).isEqualTo(5);
        assertThat(Files.readAllLines(playlist)).contains("#EXT-X-TARGETDURATION:5").doesNotContain("#EXT-X-TARGETDURATION:4");
        assertThat(read.segments()).containsExactly("segment-00000.m4s", "segment-00001.m4s");
    }

    @Test
    void reads_the_codec_strings_from_init_segments_ffmpeg_wrote() throws Exception {
        Path video = dir.resolve("v.mp4");
        Path audio = dir.resolve("a.mp4");
        io.mediacompression.support.MediaInfo.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=10:d=1",
                "-c:v", "libx264", "-profile:v", "main", "-level", "3.0", "-f", "mp4", video.toString());
        io.mediacompression.support.MediaInfo.ffmpeg("-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", "-f", "mp4",
                audio.toString());
        // profile 0x4d (Main), the constraint flags x264 sets (0x40: constraint_set1), level 3.0
        assertThat(HlsPackage.videoCodec(video)).isEqualTo("avc1.4d401e");
        assertThat(HlsPackage.audioCodec(audio)).isEqualTo("mp4a.40.2");
    }
}
