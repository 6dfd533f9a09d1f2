package io.mediacompression.support;

import io.mediacompression.job.Worker;
import io.mediacompression.media.Compression;
import io.mediacompression.media.MediaKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.exec.ExecException;

/**
 * Replaces the exec steps of the `transcode` route by id: `ffprobe` by `mock:ffprobe`, `ffmpeg` by `mock:ffmpeg`.
 * {@link #probeAnswer} and {@link #writeOutput} make the mocks act as ffprobe and FFmpeg do on a good file.
 */
public final class ReplaceExecSteps extends AdviceWithRouteBuilder {

    public static final String FFPROBE = "mock:ffprobe";
    public static final String FFMPEG = "mock:ffmpeg";

    // ffprobe's answer for a 640x360 H.264 video of 2 s with AAC audio
    private static final String PROBE = """
            {"streams": [
              {"index": 0, "codec_type": "video", "codec_name": "h264", "profile": "High", "width": 640, "height": 360,
               "pix_fmt": "yuv420p", "avg_frame_rate": "25/1", "bit_rate": "900000"},
              {"index": 1, "codec_type": "audio", "codec_name": "aac", "channels": 2, "bit_rate": "128000"}],
             "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "2.0", "bit_rate": "1100000"}}
            """;

    @Override
    public void configure() throws Exception {
        weaveById("ffprobe").replace().to(FFPROBE);
        weaveById("ffmpeg").replace().to(FFMPEG);
    }

    public static void probeAnswer(Exchange exchange) {
        exchange.getMessage().setBody(PROBE);
    }

    /** What FFmpeg leaves on a good file: the planned output (an image's own bytes, which are valid). */
    public static void writeOutput(Exchange exchange) throws Exception {
        Compression.Run run = exchange.getProperty(Worker.RUN_PROPERTY, Compression.Run.class);
        if (run.format().kind() == MediaKind.IMAGE) {
            Files.copy(run.input(), run.output());
        } else {
            Files.writeString(run.output(), "compressed");
        }
    }

    /** What camel-exec throws when the program exits with another code than 0 (`exitValues: "0"`). */
    public static ExecException exitedWith(int exitValue, String stderr) {
        return new ExecException("exit " + exitValue, new ByteArrayInputStream(new byte[0]),
                new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8)), exitValue);
    }
}
