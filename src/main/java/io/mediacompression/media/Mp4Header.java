package io.mediacompression.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What planning needs of an MP4 or QuickTime upload, read from its {@code moov} box in Java instead of by an ffprobe
 * run (a tenth of a second of every video job is ffprobe loading its libraries). The answer is what ffprobe would
 * give, field for field: the streams in track order, the first video track's size, pixel format, colour transfer and
 * sample aspect ratio from its H.264 sequence parameter set (the decoder's view, which ffprobe reports), its display
 * rotation from the track matrix, frame rate and bit rates from the sample tables, the first audio track's codec and
 * channels from its AAC AudioSpecificConfig.
 *
 * <p>Empty whenever the header alone cannot say what ffprobe would: no {@code moov} (or a compressed or oversized
 * one), a fragmented file, a first video track that is not H.264 with its parameter sets in the header, a first audio
 * track other than AAC with a fixed channel layout of two or more (mono AAC may carry parametric stereo, which only
 * decoding reveals), cover art or chapter tracks (which add or hide streams), a movie matrix. ffprobe then reads the
 * file, as for every other container. Nothing here decides that a file is unreadable: that is left to ffprobe.
 */
public final class Mp4Header {

    // a 2-hour phone video's moov is a few MB (its sample tables); larger is refused to ffprobe's judgement
    static final int MAX_MOOV_BYTES = 32 << 20;
    // a file's top level is a handful of boxes; this bounds the walk over a file made of empty ones
    private static final int MAX_TOP_LEVEL_BOXES = 4096;
    private static final Set<Integer> HIGH_PROFILES = Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);
    // ITU-T H.264 table E-1, aspect_ratio_idc 1 to 16
    private static final int[][] SAMPLE_ASPECT_RATIOS = {{1, 1}, {12, 11}, {10, 11}, {16, 11}, {40, 33}, {24, 11},
        {20, 11}, {32, 11}, {80, 33}, {18, 11}, {15, 11}, {64, 33}, {160, 99}, {4, 3}, {3, 2}, {2, 1}};
    // FFmpeg's names of ITU-T H.273 transfer characteristics 1 to 18 (2, unspecified, is the empty name)
    private static final String[] TRANSFERS = {"", "bt709", "", "", "gamma22", "gamma28", "smpte170m", "smpte240m",
        "linear", "log100", "log316", "iec61966-2-4", "bt1361e", "iec61966-2-1", "bt2020-10", "bt2020-12", "smpte2084",
        "smpte428", "arib-std-b67"};
    private static final int IDENTITY_UNIT = 0x10000;
    private static final int IDENTITY_W = 0x40000000;

    private Mp4Header() {
    }

    /** The probe of the file, or empty when ffprobe has to read it. */
    public static Optional<MediaProbe> read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Optional<ByteBuffer> moov = moov(channel);
            if (moov.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(parse(moov.get(), channel.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // Unsure, or a box shorter than its fields (BufferUnderflowException and the like): a header this reader
            // cannot make sense of is for ffprobe to judge, never a reason to fail the job
            return Optional.empty();
        }
    }

    private static Optional<ByteBuffer> moov(FileChannel channel) throws IOException {
        long size = channel.size();
        long pos = 0;
        for (int n = 0; n < MAX_TOP_LEVEL_BOXES && pos + 8 <= size; n++) {
            ByteBuffer head = ByteBuffer.allocate(16);
            channel.read(head, pos);
            head.flip();
            if (head.remaining() < 8) {
                return Optional.empty();
            }
            long boxSize = head.getInt() & 0xFFFFFFFFL;
            String type = fourcc(head.getInt());
            int headerSize = 8;
            if (boxSize == 1) {
                if (head.remaining() < 8) {
                    return Optional.empty();
                }
                boxSize = head.getLong();
                headerSize = 16;
            } else if (boxSize == 0) {
                boxSize = size - pos;
            }
            if (boxSize < headerSize || pos + boxSize > size) {
                return Optional.empty();
            }
            if (type.equals("moov")) {
                if (boxSize - headerSize > MAX_MOOV_BYTES) {
                    return Optional.empty();
                }
                ByteBuffer body = ByteBuffer.allocate((int) (boxSize - headerSize));
                while (body.hasRemaining() && channel.read(body, pos + headerSize + body.position()) > 0) {
                    // read until full
                }
                return body.hasRemaining() ? Optional.empty() : Optional.of(body.flip());
            }
            if (type.equals("moof")) {
                return Optional.empty();
            }
            pos += boxSize;
        }
        return Optional.empty();
    }

    private static MediaProbe parse(ByteBuffer moov, long fileSize) {
        long movieTimescale = 0;
        long movieDuration = 0;
        int index = 0;
        MediaProbe.VideoStream video = null;
        List<MediaProbe.AudioStream> audio = new ArrayList<>();
        long longestTrack = 0;
        for (Box box : Box.children(moov, 0, moov.limit())) {
            switch (box.type) {
                case "mvhd" -> {
                    ByteBuffer b = box.body(moov);
                    int version = b.get() & 0xFF;
                    skip(b, 3 + (version == 1 ? 16 : 8));
                    movieTimescale = b.getInt() & 0xFFFFFFFFL;
                    movieDuration = version == 1 ? b.getLong() : b.getInt() & 0xFFFFFFFFL;
                    skip(b, 4 + 2 + 10);
                    if (!identity(readMatrix(b))) {
                        throw new Unsure();
                    }
                }
                case "trak" -> {
                    Track track = Track.read(moov, box);
                    longestTrack = Math.max(longestTrack, track.durationMicros());
                    if (track.handler.equals("vide")) {
                        if (video == null) {
                            video = track.video(index);
                        }
                    } else if (track.handler.equals("soun")) {
                        if (audio.isEmpty()) {
                            audio.add(track.audio(index));
                        } else {
                            audio.add(new MediaProbe.AudioStream(index, track.sampleEntry, 0, track.bitRate()));
                        }
                    }
                    index++;
                }
                case "mvex", "cmov" -> throw new Unsure();
                case "udta", "meta" -> {
                    if (contains(moov, box, "covr")) {
                        throw new Unsure();
                    }
                }
                default -> {
                }
            }
        }
        if (video == null) {
            throw new Unsure();
        }
        double duration = movieTimescale > 0 && movieDuration > 0 ? (double) movieDuration / movieTimescale
                : longestTrack / 1e6;
        long bitRate = duration > 0 ? Math.round(fileSize * 8 / duration) : 0;
        return new MediaProbe("mov,mp4,m4a,3gp,3g2,mj2", duration, bitRate, Optional.of(video), List.copyOf(audio));
    }

    /** One track: its handler, timing, sample table figures and the first sample description. */
    private record Track(String handler, int[] matrix, long timescale, long duration, long sampleCount,
                         long sampleDuration, long dataSize, String sampleEntry, ByteBuffer entry) {

        static Track read(ByteBuffer moov, Box trak) {
            int[] matrix = null;
            String handler = "";
            long timescale = 0;
            long duration = 0;
            long[] stts = {0, 0};
            long dataSize = -1;
            String entryType = "";
            ByteBuffer entry = null;
            boolean chapters = false;
            for (Box box : Box.children(moov, trak.start, trak.end)) {
                switch (box.type) {
                    case "tkhd" -> {
                        ByteBuffer b = box.body(moov);
                        int version = b.get() & 0xFF;
                        skip(b, 3 + (version == 1 ? 32 : 20) + 8 + 8);
                        matrix = readMatrix(b);
                    }
                    case "tref" -> chapters = contains(moov, box, "chap");
                    case "mdia" -> {
                        for (Box m : Box.children(moov, box.start, box.end)) {
                            if (m.type.equals("mdhd")) {
                                ByteBuffer b = m.body(moov);
                                int version = b.get() & 0xFF;
                                skip(b, 3 + (version == 1 ? 16 : 8));
                                timescale = b.getInt() & 0xFFFFFFFFL;
                                duration = version == 1 ? b.getLong() : b.getInt() & 0xFFFFFFFFL;
                            } else if (m.type.equals("hdlr")) {
                                ByteBuffer b = m.body(moov);
                                skip(b, 8);
                                handler = fourcc(b.getInt());
                            } else if (m.type.equals("minf")) {
                                Box stbl = Box.child(moov, m, "stbl").orElseThrow(Unsure::new);
                                for (Box s : Box.children(moov, stbl.start, stbl.end)) {
                                    switch (s.type) {
                                        case "stsd" -> {
                                            ByteBuffer b = s.body(moov);
                                            skip(b, 4);
                                            if (b.getInt() != 1) {
                                                throw new Unsure();
                                            }
                                            Box first = Box.children(moov, s.start + 8, s.end).get(0);
                                            entryType = first.type;
                                            entry = first.body(moov);
                                        }
                                        case "stts" -> stts = timeToSample(s.body(moov));
                                        case "stsz" -> dataSize = sampleSizes(s.body(moov));
                                        case "stz2" -> throw new Unsure();
                                        default -> {
                                        }
                                    }
                                }
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            if (chapters || matrix == null || entry == null || timescale == 0 || dataSize < 0) {
                throw new Unsure();
            }
            return new Track(handler, matrix, timescale, duration, stts[0], stts[1], dataSize, entryType, entry);
        }

        long durationMicros() {
            return timescale > 0 ? duration * 1_000_000 / timescale : 0;
        }

        // FFmpeg's stream bit rate for MP4: the bytes of all samples over the track's duration
        long bitRate() {
            return duration > 0 ? Math.round((double) dataSize * 8 * timescale / duration) : 0;
        }

        MediaProbe.VideoStream video(int index) {
            if (!sampleEntry.equals("avc1") && !sampleEntry.equals("avc3")) {
                throw new Unsure();
            }
            if (sampleCount == 0) {
                throw new Unsure();
            }
            ByteBuffer b = entry.duplicate();
            // SampleEntry (8), VisualSampleEntry fields up to the child boxes (70)
            skip(b, 78);
            Sps sps = null;
            int[] pasp = null;
            int colrTransfer = 2;
            int colrFullRange = -1;
            for (Box box : Box.children(b, b.position(), b.limit())) {
                ByteBuffer body = box.body(b);
                switch (box.type) {
                    case "avcC" -> sps = Sps.fromAvcConfiguration(body);
                    case "pasp" -> pasp = new int[] {body.getInt(), body.getInt()};
                    case "colr" -> {
                        String kind = fourcc(body.getInt());
                        if (kind.equals("nclx") || kind.equals("nclc")) {
                            skip(body, 2);
                            colrTransfer = body.getShort() & 0xFFFF;
                            skip(body, 2);
                            if (kind.equals("nclx")) {
                                colrFullRange = (body.get() & 0x80) != 0 ? 1 : 0;
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            if (sps == null) {
                throw new Unsure();
            }
            // the SPS's values are the decoder's and win; the container's fill in what it leaves unsaid
            int transfer = sps.transfer != 2 ? sps.transfer : colrTransfer;
            boolean fullRange = sps.fullRange >= 0 ? sps.fullRange == 1 : colrFullRange == 1;
            int[] sar = pasp != null && pasp[0] > 0 && pasp[1] > 0 ? pasp : sps.sar;
            double frameRate = sampleDuration > 0 ? (double) timescale * sampleCount / sampleDuration : 0;
            return new MediaProbe.VideoStream(index, "h264", sps.profileName(), sps.width, sps.height,
                    sps.pixelFormat(fullRange), transfer >= 0 && transfer < TRANSFERS.length ? TRANSFERS[transfer] : "",
                    sar[0], sar[1], rotation(matrix), bitRate(), frameRate);
        }

        MediaProbe.AudioStream audio(int index) {
            if (!sampleEntry.equals("mp4a")) {
                throw new Unsure();
            }
            ByteBuffer b = entry.duplicate();
            skip(b, 8);
            int version = b.getShort() & 0xFFFF;
            // AudioSampleEntry (28 bytes); QuickTime sound description version 1 adds 16, version 2 is laid out apart
            if (version == 2) {
                throw new Unsure();
            }
            skip(b, 18 + (version == 1 ? 16 : 0));
            ByteBuffer esds = esds(b).orElseThrow(Unsure::new);
            int channels = aacChannels(esds);
            return new MediaProbe.AudioStream(index, "aac", channels, bitRate());
        }
    }

    private static Optional<ByteBuffer> esds(ByteBuffer entry) {
        for (Box box : Box.children(entry, entry.position(), entry.limit())) {
            if (box.type.equals("esds")) {
                return Optional.of(box.body(entry));
            }
            if (box.type.equals("wave")) {
                ByteBuffer wave = box.body(entry);
                Optional<ByteBuffer> inner = esds(wave);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    // ES_Descriptor > DecoderConfigDescriptor (an MPEG-4 or MPEG-2 AAC object type) > AudioSpecificConfig
    private static int aacChannels(ByteBuffer esds) {
        skip(esds, 4);
        if ((esds.get() & 0xFF) != 0x03) {
            throw new Unsure();
        }
        descriptorLength(esds);
        skip(esds, 2);
        int flags = esds.get() & 0xFF;
        if ((flags & 0x80) != 0) {
            skip(esds, 2);
        }
        if ((flags & 0x40) != 0) {
            skip(esds, esds.get() & 0xFF);
        }
        if ((flags & 0x20) != 0) {
            skip(esds, 2);
        }
        if ((esds.get() & 0xFF) != 0x04) {
            throw new Unsure();
        }
        descriptorLength(esds);
        int objectType = esds.get() & 0xFF;
        if (objectType != 0x40 && objectType != 0x66 && objectType != 0x67 && objectType != 0x68) {
            throw new Unsure();
        }
        skip(esds, 12);
        if ((esds.get() & 0xFF) != 0x05) {
            throw new Unsure();
        }
        int length = descriptorLength(esds);
        if (length > esds.remaining()) {
            throw new Unsure();
        }
        return channels(new Bits(esds.slice().limit(length)));
    }

    /**
     * The channels FFmpeg's AAC decoder reports for this AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1), as
     * {@code ff_mpeg4audio_get_config} reads it. A mono AAC LC stream may carry parametric stereo that only its first
     * frame reveals (the decoder then reports stereo): such a stream is left to ffprobe, unless its config rules that
     * out (an explicit "no SBR", as FFmpeg's own encoder writes it).
     */
    static int channels(Bits config) {
        int objectType = objectType(config);
        sampleRate(config);
        int channelConfiguration = config.bits(4);
        // AAC LC only: SBR and PS object types (HE-AAC) and a channel layout of 0 (a program config element) are
        // left to ffprobe, as are the other object types
        if (objectType != 2 || channelConfiguration == 0 || channelConfiguration > 7) {
            throw new Unsure();
        }
        int channels = channelConfiguration == 7 ? 8 : channelConfiguration;
        if (channels > 1) {
            return channels;
        }
        // GASpecificConfig: frameLengthFlag, dependsOnCoreCoder (+ coreCoderDelay), extensionFlag
        config.bit();
        if (config.bit()) {
            config.bits(14);
        }
        if (config.bit()) {
            throw new Unsure();
        }
        // the backward-compatible extension: sync word 0x2b7, then whether SBR is there at all
        while (config.left() > 15) {
            if (config.peek(11) == 0x2b7) {
                config.bits(11);
                if (objectType(config) == 5 && !config.bit()) {
                    return 1;
                }
                break;
            }
            config.bit();
        }
        throw new Unsure();
    }

    private static int objectType(Bits config) {
        int type = config.bits(5);
        return type == 31 ? 32 + config.bits(6) : type;
    }

    private static void sampleRate(Bits config) {
        if (config.bits(4) == 15) {
            config.bits(24);
        }
    }

    private static int descriptorLength(ByteBuffer b) {
        int length = 0;
        for (int i = 0; i < 4; i++) {
            int c = b.get() & 0xFF;
            length = (length << 7) | (c & 0x7F);
            if ((c & 0x80) == 0) {
                break;
            }
        }
        return length;
    }

    /** The H.264 sequence parameter set's fields up to the VUI's colour description (ITU-T H.264 7.3.2.1.1, E.1.1). */
    private record Sps(int profile, boolean constrained, int chromaFormat, int bitDepth, int width, int height,
                       int[] sar, int fullRange, int transfer) {

        static Sps fromAvcConfiguration(ByteBuffer avcC) {
            skip(avcC, 5);
            int count = avcC.get() & 0x1F;
            if (count == 0) {
                throw new Unsure();
            }
            int length = avcC.getShort() & 0xFFFF;
            if (length < 2 || length > avcC.remaining()) {
                throw new Unsure();
            }
            byte[] nal = new byte[length];
            avcC.get(nal);
            if ((nal[0] & 0x1F) != 7) {
                throw new Unsure();
            }
            return parse(new Bits(ByteBuffer.wrap(unescape(nal, 1))));
        }

        static Sps parse(Bits in) {
            int profile = in.bits(8);
            int constraints = in.bits(8);
            in.bits(8);
            in.ue();
            int chromaFormat = 1;
            int bitDepth = 8;
            boolean separatePlanes = false;
            if (HIGH_PROFILES.contains(profile)) {
                chromaFormat = in.ue();
                if (chromaFormat > 3) {
                    throw new Unsure();
                }
                if (chromaFormat == 3) {
                    separatePlanes = in.bit();
                }
                bitDepth = 8 + in.ue();
                in.ue();
                in.bit();
                if (in.bit()) {
                    for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
                        if (in.bit()) {
                            scalingList(in, i < 6 ? 16 : 64);
                        }
                    }
                }
            }
            in.ue();
            int pocType = in.ue();
            if (pocType == 0) {
                in.ue();
            } else if (pocType == 1) {
                in.bit();
                in.se();
                in.se();
                int cycle = in.ue();
                if (cycle > 255) {
                    throw new Unsure();
                }
                for (int i = 0; i < cycle; i++) {
                    in.se();
                }
            } else if (pocType != 2) {
                throw new Unsure();
            }
            in.ue();
            in.bit();
            int widthInMbs = in.ue() + 1;
            int heightInMapUnits = in.ue() + 1;
            boolean frameMbsOnly = in.bit();
            if (!frameMbsOnly) {
                in.bit();
            }
            in.bit();
            int width = widthInMbs * 16;
            int height = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16;
            if (in.bit()) {
                int arrayType = separatePlanes ? 0 : chromaFormat;
                int unitX = arrayType == 0 ? 1 : arrayType == 3 ? 1 : 2;
                int unitY = (arrayType == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
                int left = in.ue();
                int right = in.ue();
                int top = in.ue();
                int bottom = in.ue();
                width -= unitX * (left + right);
                height -= unitY * (top + bottom);
            }
            if (width <= 0 || height <= 0) {
                throw new Unsure();
            }
            int[] sar = {0, 1};
            int fullRange = -1;
            int transfer = 2;
            if (in.bit()) {
                if (in.bit()) {
                    int idc = in.bits(8);
                    if (idc == 255) {
                        sar = new int[] {in.bits(16), in.bits(16)};
                    } else if (idc >= 1 && idc <= SAMPLE_ASPECT_RATIOS.length) {
                        sar = SAMPLE_ASPECT_RATIOS[idc - 1];
                    }
                }
                if (in.bit()) {
                    in.bit();
                }
                if (in.bit()) {
                    in.bits(3);
                    fullRange = in.bit() ? 1 : 0;
                    if (in.bit()) {
                        in.bits(8);
                        transfer = in.bits(8);
                        in.bits(8);
                    }
                }
            }
            return new Sps(profile, (constraints & 0x40) != 0, separatePlanes ? 0 : chromaFormat, bitDepth, width,
                    height, sar, fullRange, transfer);
        }

        private static void scalingList(Bits in, int size) {
            int last = 8;
            int next = 8;
            for (int j = 0; j < size; j++) {
                if (next != 0) {
                    next = (last + in.se() + 256) % 256;
                }
                last = next == 0 ? last : next;
            }
        }

        // FFmpeg's H.264 decoder: full range 8-bit 4:2:0 is yuvj420p; planning only ever asks for yuv420p
        String pixelFormat(boolean full) {
            String chroma = switch (chromaFormat) {
                case 0 -> "gray";
                case 2 -> "yuv422p";
                case 3 -> "yuv444p";
                default -> "yuv420p";
            };
            if (bitDepth == 8) {
                return full && chromaFormat != 0 ? chroma.replace("yuv", "yuvj") : chroma;
            }
            return chroma + bitDepth + "le";
        }

        String profileName() {
            return switch (profile) {
                case 66 -> constrained ? "Constrained Baseline" : "Baseline";
                case 77 -> "Main";
                case 88 -> "Extended";
                case 100 -> "High";
                case 110 -> "High 10";
                case 122 -> "High 4:2:2";
                case 244 -> "High 4:4:4 Predictive";
                default -> "";
            };
        }
    }

    // emulation prevention: 00 00 03 stands for 00 00 inside a NAL unit
    private static byte[] unescape(byte[] nal, int from) {
        byte[] out = new byte[nal.length - from];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < nal.length; i++) {
            int b = nal[i] & 0xFF;
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = (byte) b;
        }
        return Arrays.copyOf(out, n);
    }

    /** A big-endian bit reader with the Exp-Golomb codes of H.264. */
    private static final class Bits {
        private final ByteBuffer in;
        private int current;
        private int left;

        Bits(ByteBuffer in) {
            this.in = in;
        }

        boolean bit() {
            if (left == 0) {
                if (!in.hasRemaining()) {
                    throw new Unsure();
                }
                current = in.get() & 0xFF;
                left = 8;
            }
            left--;
            return ((current >> left) & 1) == 1;
        }

        int left() {
            return left + 8 * in.remaining();
        }

        int peek(int n) {
            Bits copy = new Bits(in.duplicate());
            copy.current = current;
            copy.left = left;
            return copy.bits(n);
        }

        int bits(int n) {
            int value = 0;
            for (int i = 0; i < n; i++) {
                value = (value << 1) | (bit() ? 1 : 0);
            }
            return value;
        }

        int ue() {
            int zeros = 0;
            while (!bit()) {
                if (++zeros > 31) {
                    throw new Unsure();
                }
            }
            return (int) ((1L << zeros) - 1 + (zeros == 0 ? 0 : bits(zeros) & 0xFFFFFFFFL));
        }

        int se() {
            int k = ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }
    }

    /** A box inside the moov buffer: its type and where its body starts and ends. */
    private record Box(String type, int start, int end) {

        ByteBuffer body(ByteBuffer parent) {
            return parent.duplicate().limit(end).position(start).slice();
        }

        static List<Box> children(ByteBuffer buffer, int from, int to) {
            List<Box> boxes = new ArrayList<>();
            int pos = from;
            while (pos + 8 <= to) {
                long size = buffer.getInt(pos) & 0xFFFFFFFFL;
                String type = fourcc(buffer.getInt(pos + 4));
                int header = 8;
                if (size == 1) {
                    if (pos + 16 > to) {
                        throw new Unsure();
                    }
                    size = buffer.getLong(pos + 8);
                    header = 16;
                } else if (size == 0) {
                    size = to - pos;
                }
                if (size < header || size > to - pos) {
                    throw new Unsure();
                }
                boxes.add(new Box(type, pos + header, (int) (pos + size)));
                pos += (int) size;
            }
            return boxes;
        }

        static Optional<Box> child(ByteBuffer buffer, Box parent, String type) {
            return children(buffer, parent.start, parent.end).stream().filter(b -> b.type.equals(type)).findFirst();
        }
    }

    // whether the four bytes of `type` occur in the box: a cheap and cautious search for nested boxes
    private static boolean contains(ByteBuffer buffer, Box box, String type) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = box.start; i + 4 <= box.end; i++) {
            if (buffer.get(i) == t[0] && buffer.get(i + 1) == t[1] && buffer.get(i + 2) == t[2] && buffer.get(i + 3) == t[3]) {
                return true;
            }
        }
        return false;
    }

    private static long[] timeToSample(ByteBuffer stts) {
        skip(stts, 4);
        long entries = stts.getInt() & 0xFFFFFFFFL;
        if (entries * 8 > stts.remaining()) {
            throw new Unsure();
        }
        long count = 0;
        long duration = 0;
        for (long i = 0; i < entries; i++) {
            long c = stts.getInt() & 0xFFFFFFFFL;
            long d = stts.getInt() & 0xFFFFFFFFL;
            count += c;
            duration += c * d;
        }
        return new long[] {count, duration};
    }

    private static long sampleSizes(ByteBuffer stsz) {
        skip(stsz, 4);
        long size = stsz.getInt() & 0xFFFFFFFFL;
        long count = stsz.getInt() & 0xFFFFFFFFL;
        if (size != 0) {
            return size * count;
        }
        if (count * 4 > stsz.remaining()) {
            throw new Unsure();
        }
        long total = 0;
        for (long i = 0; i < count; i++) {
            total += stsz.getInt() & 0xFFFFFFFFL;
        }
        return total;
    }

    private static int[] readMatrix(ByteBuffer b) {
        int[] m = new int[9];
        for (int i = 0; i < 9; i++) {
            m[i] = b.getInt();
        }
        return m;
    }

    private static boolean identity(int[] m) {
        return m[0] == IDENTITY_UNIT && m[1] == 0 && m[2] == 0 && m[3] == 0 && m[4] == IDENTITY_UNIT && m[5] == 0
                && m[6] == 0 && m[7] == 0 && m[8] == IDENTITY_W;
    }

    // as ffprobe reports it (FFmpeg's av_display_rotation_get: counter-clockwise), then 0 to 359 as MediaProbe keeps it
    static int rotation(int[] m) {
        double a = m[0] / 65536.0;
        double b = m[1] / 65536.0;
        double c = m[3] / 65536.0;
        double d = m[4] / 65536.0;
        double scaleX = Math.hypot(a, c);
        double scaleY = Math.hypot(b, d);
        if (scaleX == 0 || scaleY == 0) {
            throw new Unsure();
        }
        if (Math.abs(scaleX / scaleY - 1) > 0.01) {
            // a stretching matrix changes the sample aspect ratio in FFmpeg's view
            throw new Unsure();
        }
        int r = (int) Math.round(-Math.toDegrees(Math.atan2(b / scaleY, a / scaleX))) % 360;
        return r < 0 ? r + 360 : r;
    }

    private static void skip(ByteBuffer b, int n) {
        if (n < 0 || n > b.remaining()) {
            throw new Unsure();
        }
        b.position(b.position() + n);
    }

    private static String fourcc(int value) {
        return new String(new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value},
                StandardCharsets.ISO_8859_1);
    }

    /** The header does not say for certain what ffprobe would; ffprobe reads the file. */
    private static final class Unsure extends RuntimeException {
        Unsure() {
            super(null, null, false, false);
        }
    }
}
