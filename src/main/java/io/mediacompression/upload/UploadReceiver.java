package io.mediacompression.upload;

import io.mediacompression.media.MediaFormat;
import io.mediacompression.media.MediaKind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * {@code platform-http} with {@code useBodyHandler=false}, so the body arrives here unread; {@link MultipartParser}
 * splits it (Vert.x's own multipart decoding costs several copies of every byte) and the file part is written to
 * disk as it arrives under a UUID name, cut off the moment it passes the limit of its kind (an image stops at the
 * image limit, not at the largest limit). Nothing of a refused upload stays on disk.
 */
public final class UploadReceiver {

    /** Room for the multipart framing and the small form fields around the file. */
    static final long FORM_OVERHEAD_BYTES = 1024 * 1024;

    /** Form fields besides the file, and their values together: `media_id` needs one field of 128 characters. */
    public static final int MAX_FIELDS = 64;
    static final int MAX_FIELD_BYTES = 64 * 1024;

    private static final long MIB = 1024 * 1024;
    private static final String DISK_WRITES = "upload-disk-writes";
    private static final int DISK_WRITE_THREADS = 8;

    private final Path workDir;
    private final Set<MediaFormat> accepted;
    private final long videoLimitBytes;
    private final long imageLimitBytes;
    private final Duration stallTimeout;
    // enough for one upload at full speed (what waits for the disk, and the batch being filled), and a few more
    private final DirectBatches batches = new DirectBatches(PartWriter.BATCH_BYTES,
            PartWriter.WAITING_BYTES / PartWriter.BATCH_BYTES + 4);
    private WorkerExecutor diskWrites;

    public UploadReceiver(Path workDir, Set<MediaFormat> accepted, long videoLimitMb, long imageLimitMb,
                          Duration stallTimeout) {
        this.workDir = workDir;
        this.accepted = Set.copyOf(accepted);
        this.videoLimitBytes = videoLimitMb * MIB;
        this.imageLimitBytes = imageLimitMb * MIB;
        this.stallTimeout = stallTimeout;
    }

    /**
     * The threads that write uploads to disk, shared by every upload route: not Vert.x's worker pool, where the route
     * of each upload waits for its own writes. With as many uploads at once as that pool has threads, no write could
     * run there: every upload waited for the stall timeout (408) and GET /status got no thread meanwhile.
     */
    private synchronized WorkerExecutor diskWrites(Vertx vertx) {
        if (diskWrites == null) {
            diskWrites = vertx.createSharedWorkerExecutor(DISK_WRITES, DISK_WRITE_THREADS);
        }
        return diskWrites;
    }

    public Upload receive(Exchange exchange) throws InterruptedException {
        HttpMessage message = exchange.getIn(HttpMessage.class);
        HttpServerRequest request = message.getRequest();
        String boundary = MultipartParser.boundary(request.getHeader(HttpHeaders.CONTENT_TYPE))
                .orElseThrow(() -> UploadRefused.badRequest("Send multipart/form-data with a file"));
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parseLength(declared) > largestLimit() + FORM_OVERHEAD_BYTES) {
            throw UploadRefused.tooLarge(limitsText());
        }
        StagingArea staging = StagingArea.open(exchange, workDir.resolve(UUID.randomUUID().toString()));
        try {
            Files.createDirectories(staging.directory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Transfer transfer = new Transfer(request, boundary, staging.directory());
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
            throw UploadRefused.badRequest("Content-Length is not a number");
        }
    }

    /**
     * One request's transfer: the body is parsed as it arrives on the event loop, the route's worker thread waits
     * for the outcome. Form fields are kept (small, limited); the one file part is written by a {@link PartWriter}.
     */
    private final class Transfer implements MultipartParser.Listener {
        private final HttpServerRequest request;
        private final Path directory;
        private final MultipartParser parser;
        private final CompletableFuture<Upload> result = new CompletableFuture<>();
        private final AtomicLong bytesSeen = new AtomicLong();
        // Touched on the event loop only.
        private final Map<String, List<String>> fields = new LinkedHashMap<>();
        private Context eventLoop;
        private int fieldCount;
        private long fieldBytes;
        private String fieldName;
        private ByteArrayOutputStream fieldValue;
        private FilePart file;
        // Each piece of the body is read from a copy in here: Buffer has no public view of its bytes without a copy.
        private byte[] piece = new byte[0];

        /** The file part being received: where it goes, as what, and its writer. */
        private record FilePart(Path path, MediaFormat format, long limit, PartWriter writer) {
        }

        Transfer(HttpServerRequest request, String boundary, Path directory) {
            this.request = request;
            this.directory = directory;
            this.parser = new MultipartParser(boundary, this);
        }

        void start(Runnable sendContinue) {
            long requestLimit = largestLimit() + FORM_OVERHEAD_BYTES;
            request.exceptionHandler(e -> refuse(malformed()));
            request.handler(chunk -> {
                eventLoop = Vertx.currentContext();
                if (result.isDone()) {
                    return;
                }
                if (bytesSeen.addAndGet(chunk.length()) > requestLimit) {
                    refuse(UploadRefused.tooLarge(limitsText()));
                    return;
                }
                feed(chunk);
                if (file != null && file.writer().full() && !result.isDone()) {
                    request.pause();
                    file.writer().whenWritable(this::resumeUnlessRefused);
                }
            });
            request.endHandler(v -> {
                if (result.isDone()) {
                    return;
                }
                try {
                    parser.end();
                } catch (MultipartParser.MalformedException e) {
                    refuse(malformed());
                    return;
                }
                Future<Upload.StagedFile> staged = file == null ? Future.succeededFuture()
                        : file.writer().finish().map(size -> new Upload.StagedFile(file.path(), file.format(), size));
                staged.onComplete(done -> {
                    if (done.succeeded()) {
                        result.complete(new Upload(fields, done.result()));
                    } else {
                        refuse(done.cause());
                    }
                });
            });
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
                        refuse(new UploadRefused(408, "Upload stalled",
                                "No data arrived for " + stallTimeout.toSeconds() + " s"));
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

        private void feed(Buffer chunk) {
            int length = chunk.length();
            if (piece.length < length) {
                piece = new byte[length];
            }
            chunk.getBytes(0, length, piece, 0);
            try {
                parser.feed(ByteBuffer.wrap(piece, 0, length));
            } catch (MultipartParser.MalformedException e) {
                refuse(malformed());
            }
        }

        @Override
        public void partStarted(MultipartParser.Part part) {
            if (result.isDone()) {
                return;
            }
            if (part.filename().isEmpty()) {
                if (++fieldCount > MAX_FIELDS) {
                    refuse(UploadRefused.badRequest("More than " + MAX_FIELDS + " form fields"));
                    return;
                }
                fieldName = part.name();
                fieldValue = new ByteArrayOutputStream();
                return;
            }
            if (!"file".equals(part.name()) || file != null) {
                refuse(UploadRefused.badRequest("Send exactly one file, in the field 'file'"));
                return;
            }
            MediaFormat format = MediaFormat.byFilename(part.filename().get()).filter(accepted::contains).orElse(null);
            if (format == null) {
                refuse(UploadRefused.unsupportedType(acceptedText()));
                return;
            }
            Path target = directory.resolve(UUID.randomUUID() + "." + format.extension());
            file = new FilePart(target, format, limitFor(format.kind()),
                    new PartWriter(diskWrites(Vertx.currentContext().owner()), batches, target, this::refuse));
        }

        @Override
        public void partData(ByteBuffer data) {
            if (result.isDone()) {
                return;
            }
            if (fieldValue != null) {
                fieldBytes += data.remaining();
                if (fieldBytes > MAX_FIELD_BYTES) {
                    refuse(UploadRefused.badRequest("The form fields are longer than "
                            + MAX_FIELD_BYTES / 1024 + " KB"));
                    return;
                }
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                fieldValue.writeBytes(bytes);
                return;
            }
            PartWriter writer = file.writer();
            if (writer.size() + data.remaining() > file.limit()) {
                refuse(UploadRefused.tooLarge((file.format().kind() == MediaKind.VIDEO ? "Videos" : "Images")
                        + " may be at most " + file.limit() / MIB + " MB"));
                return;
            }
            writer.add(data);
        }

        @Override
        public void partEnded() {
            if (fieldValue != null) {
                fields.computeIfAbsent(fieldName, name -> new ArrayList<>()).add(fieldValue.toString(StandardCharsets.UTF_8));
                fieldValue = null;
            }
        }

        private void resumeUnlessRefused() {
            if (!result.isDone()) {
                request.resume();
            }
        }

        /** Stops reading the request; the route answers an UploadRefused as it says, anything else with a 500. */
        private void refuse(Throwable why) {
            if (result.completeExceptionally(why)) {
                request.pause();
                if (eventLoop == null || Context.isOnEventLoopThread()) {
                    dropFile();
                } else {
                    // the file part is only touched on its event loop
                    eventLoop.runOnContext(v -> dropFile());
                }
            }
        }

        private void dropFile() {
            if (file != null) {
                file.writer().abort();
            }
        }

        private UploadRefused malformed() {
            return UploadRefused.badRequest("The multipart body could not be read");
        }
    }
}
