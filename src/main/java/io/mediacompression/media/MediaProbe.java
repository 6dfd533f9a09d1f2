package io.mediacompression.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What ffprobe says about a staged file ({@code ffprobe -show_streams -show_format -of json}): the first real
 * video stream (cover art is skipped), the audio streams, the duration and the bit rate.
 */
public record MediaProbe(String formatName, double durationSeconds, long bitRate, Optional<VideoStream> video,
                         List<AudioStream> audio) {

    /**
     * A video stream as decoded; {@code rotation} is the display rotation in degrees (0, 90, 180, 270),
     * {@code frameRate} its average frame rate (0 when unknown).
     */
    public record VideoStream(int index, String codec, String profile, int width, int height, String pixelFormat,
                              String colorTransfer, int sarNum, int sarDen, int rotation, long bitRate,
                              double frameRate) {

        public VideoStream(int index, String codec, String profile, int width, int height, String pixelFormat,
                           String colorTransfer, int sarNum, int sarDen, int rotation, long bitRate) {
            this(index, codec, profile, width, height, pixelFormat, colorTransfer, sarNum, sarDen, rotation, bitRate, 0);
        }

        /** The width a player shows: sample aspect ratio and rotation applied. */
        public int displayWidth() {
            return rotation % 180 == 0 ? squareWidth() : height;
        }

        public int displayHeight() {
            return rotation % 180 == 0 ? height : squareWidth();
        }

        private int squareWidth() {
            if (sarNum <= 0 || sarDen <= 0 || sarNum == sarDen) {
                return width;
            }
            return (int) Math.round((double) width * sarNum / sarDen);
        }
    }

    public record AudioStream(int index, String codec, int channels, long bitRate) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Optional<AudioStream> firstAudio() {
        return audio.stream().findFirst();
    }

    /** Reads ffprobe's JSON; anything it cannot make sense of is an undecodable file. */
    public static MediaProbe parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json == null ? "" : json);
        } catch (IOException e) {
            throw new UnreadableMedia("the file could not be read as media");
        }
        if (root == null || !root.has("streams")) {
            throw new UnreadableMedia("the file could not be read as media");
        }
        JsonNode format = root.path("format");
        VideoStream video = null;
        List<AudioStream> audio = new ArrayList<>();
        for (JsonNode s : root.path("streams")) {
            String type = s.path("codec_type").asText();
            if ("video".equals(type) && video == null && s.path("disposition").path("attached_pic").asInt() == 0) {
                int[] sar = ratio(s.path("sample_aspect_ratio").asText("1:1"));
                video = new VideoStream(s.path("index").asInt(), s.path("codec_name").asText(""),
                        s.path("profile").asText(""), s.path("width").asInt(), s.path("height").asInt(),
                        s.path("pix_fmt").asText(""), s.path("color_transfer").asText(""), sar[0], sar[1], rotation(s),
                        s.path("bit_rate").asLong(0), rate(s.path("avg_frame_rate").asText("")));
            } else if ("audio".equals(type)) {
                audio.add(new AudioStream(s.path("index").asInt(), s.path("codec_name").asText(""),
                        s.path("channels").asInt(), s.path("bit_rate").asLong(0)));
            }
        }
        return new MediaProbe(format.path("format_name").asText(""), format.path("duration").asDouble(0),
                format.path("bit_rate").asLong(0), Optional.ofNullable(video), List.copyOf(audio));
    }

    // ffprobe reports the display matrix rotation counter-clockwise, from -180 to 180; 90 means "turn left".
    private static int rotation(JsonNode stream) {
        for (JsonNode side : stream.path("side_data_list")) {
            if (side.has("rotation")) {
                int r = (int) Math.round(side.path("rotation").asDouble()) % 360;
                return r < 0 ? r + 360 : r;
            }
        }
        String tag = stream.path("tags").path("rotate").asText("0");
        try {
            int r = Integer.parseInt(tag.trim()) % 360;
            return r < 0 ? r + 360 : r;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // "30000/1001"; "0/0" when ffprobe does not know it
    private static double rate(String text) {
        String[] parts = text.split("/");
        try {
            double num = Double.parseDouble(parts[0]);
            double den = parts.length == 2 ? Double.parseDouble(parts[1]) : 1;
            return den > 0 && num > 0 ? num / den : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int[] ratio(String text) {
        String[] parts = text.split(":");
        try {
            return parts.length == 2 ? new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])} : new int[] {1, 1};
        } catch (NumberFormatException e) {
            return new int[] {1, 1};
        }
    }
}
