package io.mediacompression.http;

import io.mediacompression.media.MediaFormat;
import io.mediacompression.media.MediaKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Streams a multipart upload straight into a new job directory under WORK_DIR. Routes that use it consume
 * {@code platform-http} with {@code useBodyHandler=false}, so the body arrives here unread: the file part is
 * written to disk as it arrives under a UUID name, and cut off the moment it passes the limit of its kind (an
 * image stops at the image limit, not at the largest limit). Nothing of a refused upload stays on disk.
 */
public final class UploadReceiver {

    /** Room for the multipart framing and the small form fields around the file. */
    static final long FORM_OVERHEAD_BYTES = 1024 * 1024;

    private static final long MIB = 1024 * 1024;

    private final Path workDir;
    private final Set<MediaFormat> accepted;
    private final long videoLimitBytes;
    private final long imageLimitBytes;
    private final Duration stallTimeout;

    public UploadReceiver(Path workDir, Set<MediaFormat> accepted, long videoLimitMb, long imageLimitMb,
                          Duration stallTimeout) {
        this.workDir = workDir;
        this.accepted = Set.copyOf(accepted);
        this.videoLimitBytes = videoLimitMb * MIB;
        this.imageLimitBytes = imageLimitMb * MIB;
        this.stallTimeout = stallTimeout;
    }

    public Upload receive(Exchange exchange) throws InterruptedException {
        HttpMessage message = exchange.getIn(HttpMessage.class);
        HttpServerRequest request = message.getRequest();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.badRequest("Invalid request", "Send multipart/form-data with a file");
        }
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parseLength(declared) > largestLimit() + FORM_OVERHEAD_BYTES) {
            throw ApiException.tooLarge(limitsText());
        }
        StagingArea staging = StagingArea.open(exchange, workDir.resolve(UUID.randomUUID().toString()));
        try {
            Files.createDirectories(staging.directory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Transfer transfer = new Transfer(request, staging.directory());
        transfer.start(HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))
                ? message.getResponse()::writeContinue : () -> { });
        return transfer.await();
    }

    private long limitFor(MediaKind kind) {
        return kind == MediaKind.VIDEO ? videoLimitBytes : imageLimitBytes;
    }

    private long largestLimit() {
        return accepted.stream().mapToLong(f -> limitFor(f.kind())).max().orElse(0);
    }

    private String limitsText() {
        return accepted.stream().map(MediaFormat::kind).distinct()
                .map(k -> (k == MediaKind.VIDEO ? "videos " : "images ") + limitFor(k) / MIB + " MB")
                .collect(Collectors.joining(", ", "Largest accepted upload: ", ""));
    }

    private String acceptedText() {
        return accepted.stream().map(MediaFormat::extension).sorted().collect(Collectors.joining(", ", "Accepted: ", ""));
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid request", "Content-Length is not a number");
        }
    }

    /** One request's transfer: Vert.x events on the event loop, the waiting on the route's worker thread. */
    private final class Transfer {
        private final HttpServerRequest request;
        private final Path directory;
        private final CompletableFuture<Upload> result = new CompletableFuture<>();
        private final AtomicLong bytesSeen = new AtomicLong();
        // Touched on the event loop only.
        private boolean fileSeen;
        private Future<Upload.StagedFile> fileWritten = Future.succeededFuture();
        private AsyncFile file;
        private HttpServerFileUpload filePart;

        Transfer(HttpServerRequest request, Path directory) {
            this.request = request;
            this.directory = directory;
        }

        void start(Runnable sendContinue) {
            long requestLimit = largestLimit() + FORM_OVERHEAD_BYTES;
            request.setExpectMultipart(true);
            request.exceptionHandler(e -> refuse(malformed()));
            request.handler(chunk -> {
                if (bytesSeen.addAndGet(chunk.length()) > requestLimit) {
                    refuse(ApiException.tooLarge(limitsText()));
                }
            });
            request.uploadHandler(this::onFilePart);
            request.endHandler(v -> fileWritten.onComplete(written -> {
                if (written.failed()) {
                    result.completeExceptionally(written.cause());
                } else {
                    result.complete(new Upload(fields(), written.result()));
                }
            }));
            sendContinue.run();
            request.resume();
        }

        Upload await() throws InterruptedException {
            long lastSeen = -1;
            while (true) {
                try {
                    return result.get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    long seen = bytesSeen.get();
                    if (seen == lastSeen) {
                        refuse(new ApiException(408, new ApiException.ErrorBody("Upload stalled",
                                "No data arrived for " + stallTimeout.toSeconds() + " s"), Map.of()));
                    }
                    lastSeen = seen;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException("Upload could not be stored", e.getCause());
                }
            }
        }

        private void onFilePart(HttpServerFileUpload upload) {
            if (!"file".equals(upload.name()) || fileSeen) {
                refuse(ApiException.badRequest("Invalid request", "Send exactly one file, in the field 'file'"));
                return;
            }
            fileSeen = true;
            filePart = upload;
            MediaFormat format = MediaFormat.byFilename(upload.filename()).filter(accepted::contains).orElse(null);
            if (format == null) {
                refuse(ApiException.unsupportedType(acceptedText()));
                return;
            }
            long limit = limitFor(format.kind());
            Path target = directory.resolve(UUID.randomUUID() + "." + format.extension());
            Promise<Upload.StagedFile> written = Promise.promise();
            fileWritten = written.future();
            upload.pause();
            FileSystem fs = Vertx.currentContext().owner().fileSystem();
            // createNew in an existing directory: once the staging area is deleted, a late open fails instead of leaking
            fs.open(target.toString(), new OpenOptions().setCreateNew(true).setWrite(true)).onComplete(opened -> {
                if (opened.failed()) {
                    written.fail(opened.cause());
                    refuse(opened.cause());
                    return;
                }
                file = opened.result();
                AtomicLong size = new AtomicLong();
                upload.handler(chunk -> {
                    if (result.isDone()) {
                        return;
                    }
                    if (size.addAndGet(chunk.length()) > limit) {
                        refuse(ApiException.tooLarge((format.kind() == MediaKind.VIDEO ? "Videos" : "Images")
                                + " may be at most " + limit / MIB + " MB"));
                        return;
                    }
                    file.write(chunk);
                    if (file.writeQueueFull()) {
                        upload.pause();
                        file.drainHandler(v -> resumeUnlessRefused(upload));
                    }
                });
                upload.exceptionHandler(e -> refuse(malformed()));
                upload.endHandler(v -> file.close().onComplete(closed -> {
                    if (closed.succeeded()) {
                        written.complete(new Upload.StagedFile(target, format, size.get()));
                    } else {
                        written.fail(closed.cause());
                    }
                }));
                resumeUnlessRefused(upload);
            });
        }

        // Resuming a file part resumes the whole request: a refused upload must stay paused, or it is read on
        // (and thrown away) at full speed until the answer has gone out.
        private void resumeUnlessRefused(HttpServerFileUpload upload) {
            if (!result.isDone()) {
                upload.resume();
            }
        }

        /** Stops reading the request; the route answers an ApiException as it says, anything else with a 500. */
        private void refuse(Throwable why) {
            if (result.completeExceptionally(why)) {
                request.pause();
                // a file part that is not paused resumes the request as soon as its own buffer drains
                if (filePart != null) {
                    filePart.pause();
                }
                if (file != null) {
                    file.close();
                }
            }
        }

        private Map<String, List<String>> fields() {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            request.formAttributes().names().forEach(name -> fields.put(name, request.formAttributes().getAll(name)));
            return fields;
        }

        private ApiException malformed() {
            return ApiException.badRequest("Invalid request", "The multipart body could not be read");
        }
    }
}
