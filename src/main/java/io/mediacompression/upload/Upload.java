package io.mediacompression.upload;

import io.mediacompression.media.MediaFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a multipart upload brought: its form fields and, when one was sent, the file staged under a UUID name. */
public record Upload(Map<String, List<String>> fields, StagedFile file) {

    /** The uploaded file as stored: the client's filename only chose {@code format}, never the path. */
    public record StagedFile(Path path, MediaFormat format, long size) {
    }

    public Optional<StagedFile> stagedFile() {
        return Optional.ofNullable(file);
    }

    /** A field that must appear at most once. */
    public Optional<String> field(String name) {
        List<String> values = fields.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw UploadRefused.badRequest("The field '" + name + "' was sent more than once");
        }
        return values.stream().findFirst();
    }
}
