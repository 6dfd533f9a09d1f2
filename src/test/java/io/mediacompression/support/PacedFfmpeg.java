package io.mediacompression.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The real FFmpeg, reading the upload at half its frame rate ({@code -readrate 0.5}, which applies to the
 * first input): a clip of two seconds takes four to encode on any machine, with next to no CPU. For tests that
 * catch an encode in the middle (kill the service, stop Redis, watch the progress) where the slowest x264 preset
 * used to burn both cores and still finished early on a fast machine. Set as {@code ffmpeg.path}; the process the
 * service starts is FFmpeg itself (the script execs it), at the service's nice level.
 */
public final class PacedFfmpeg {

    private PacedFfmpeg() {
    }

    /** Writes the script into {@code directory} and returns its path. */
    public static String in(Path directory) {
        try {
            Path script = Files.createDirectories(directory).resolve("paced-ffmpeg");
            Files.writeString(script, "#!/bin/sh\nexec ffmpeg -readrate 0.5 \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return script.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
