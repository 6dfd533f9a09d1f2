package io.mediacompression.media;

/** What a job compresses: decides the size limit, the FFmpeg profile and the remote folder. */
public enum MediaKind {
    VIDEO("videos"),
    IMAGE("images");

    private final String folder;

    MediaKind(String folder) {
        this.folder = folder;
    }

    /** The folder results of this kind are delivered to (`videos`, `images`). */
    public String folder() {
        return folder;
    }
}
