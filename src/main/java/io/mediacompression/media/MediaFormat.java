package io.mediacompression.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The input formats the service accepts. A file is accepted only when its extension names a format AND its
 * first bytes are that format's signature, so a text file named `.mp4` or a JPEG named `.mkv` is refused.
 */
public enum MediaFormat {
    MP4(MediaKind.VIDEO, "mp4", Set.of("mp4")),
    MOV(MediaKind.VIDEO, "mov", Set.of("mov")),
    MKV(MediaKind.VIDEO, "mkv", Set.of("mkv")),
    AVI(MediaKind.VIDEO, "avi", Set.of("avi")),
    JPEG(MediaKind.IMAGE, "jpg", Set.of("jpg", "jpeg")),
    PNG(MediaKind.IMAGE, "png", Set.of("png")),
    WEBP(MediaKind.IMAGE, "webp", Set.of("webp"));

    /** How many leading bytes {@link #matches(byte[])} needs to decide. */
    public static final int SIGNATURE_LENGTH = 12;

    // Top-level ISO base media (MP4/QuickTime) boxes a file may start with; old QuickTime files skip `ftyp`.
    private static final Set<String> ISO_BMFF_FIRST_BOXES = Set.of("ftyp", "moov", "mdat", "free", "skip", "wide", "pnot");

    private final MediaKind kind;
    private final String extension;
    private final Set<String> extensions;

    MediaFormat(MediaKind kind, String extension, Set<String> extensions) {
        this.kind = kind;
        this.extension = extension;
        this.extensions = extensions;
    }

    public MediaKind kind() {
        return kind;
    }

    /** The extension the service writes for this format, without the dot. */
    public String extension() {
        return extension;
    }

    /** The format a client filename's extension names, in any case. */
    public static Optional<MediaFormat> byFilename(String filename) {
        if (filename == null) {
            return Optional.empty();
        }
        int dot = filename.lastIndexOf('.');
        if (dot < 0 || dot == filename.length() - 1) {
            return Optional.empty();
        }
        String ext = filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.extensions.contains(ext)).findFirst();
    }

    /** Whether the file's first bytes carry this format's signature. */
    public boolean matches(byte[] head) {
        return switch (this) {
            case MP4, MOV -> head.length >= 8 && ISO_BMFF_FIRST_BOXES.contains(ascii(head, 4, 8));
            case MKV -> startsWith(head, 0x1A, 0x45, 0xDF, 0xA3);
            case AVI -> riff(head, "AVI ");
            case JPEG -> startsWith(head, 0xFF, 0xD8, 0xFF);
            case PNG -> startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
            case WEBP -> riff(head, "WEBP");
        };
    }

    private static boolean riff(byte[] head, String form) {
        return head.length >= 12 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 12).equals(form);
    }

    private static boolean startsWith(byte[] head, int... signature) {
        if (head.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
