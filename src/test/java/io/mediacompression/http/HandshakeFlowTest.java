package io.mediacompression.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.job.Job;
import io.mediacompression.job.JobState;
import io.mediacompression.job.JobStore;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.HlsCheck;
import io.mediacompression.support.LmsStandIn;
import io.mediacompression.support.MediaInfo;
import io.mediacompression.support.MultipartBody;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import io.mediacompression.support.WorkDir;
import java.io.RandomAccessFile;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The handshake flow end to end: the real application, a local HTTP server standing in for the LMS store. */
// each test has its own LMS stand-in, service and directories, and spends most of its time waiting on them
@Execution(ExecutionMode.CONCURRENT)
class HandshakeFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMPRESSION = Duration.ofSeconds(120);
    private static final Map<String, String> INTERNAL_KEY = Map.of("X-Internal-Service-Key", RunningService.KEY);

    // a new LMS stand-in and service for each test (each counts what is left in its WORK_DIR), the service posting
    // to the stand-in with fast retries and sweeps; each test starts it with its own settings on top
    @RegisterExtension
    final ServiceExtension app = ServiceExtension.application()
            .with("jobs.workers", "1")
            .withLms("lms.store-url", "/store")
            .with("retry.initial-delay", "200ms")
            .with("retry.max-delay", "500ms")
            .with("jobs.sweep-interval", "200ms")
            .startedByTest();

    @TempDir
    Path root;

    private LmsStandIn lms;
    private RunningService service;

    /** {@code settings} are name/value pairs. */
    private RunningService start(String... settings) throws Exception {
        service = app.start(settings);
        return service;
    }

    private HttpResponse<String> receive(Map<String, String> headers, Path file, String filename, String videoId)
            throws Exception {
        return service.uploadTo("/video/receive", headers, file, filename, "video_id", videoId,
                "organization_id", "org-7");
    }

    private HttpResponse<String> confirm(String videoId) throws Exception {
        return service.send(HttpRequest.newBuilder(service.uri("/video/confirm"))
                .header("X-Internal-Service-Key", RunningService.KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("video_id=" + videoId)));
    }

    private String statusOf(String mediaId) throws Exception {
        return JSON.readTree(service.status(mediaId).body()).path("status").asText();
    }

    private void awaitStatus(String mediaId, String expected, Duration timeout) throws Exception {
        service.awaitStatus(mediaId, expected, timeout);
    }

    /** Waits for the jobs' clean-up in WORK_DIR, which sends no event: polled. */
    private void awaitLeftInWorkDir(Predicate<List<Path>> done, Duration timeout) {
        Awaitility.await("what is left in WORK_DIR").atMost(timeout)
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(this::leftInWorkDir, done);
    }

    /** Everything left under WORK_DIR, directories included. */
    private List<Path> leftInWorkDir() {
        return WorkDir.entries(service.workDir());
    }

    private static MultipartBody multipart(LmsStandIn.Received request) {
        return MultipartBody.parse(request.header("Content-Type"), request.body());
    }

    @Test
    void stores_a_720p_h264_video_with_its_ids_at_the_lms_and_waits_for_confirmation() throws Exception {
        start();
        HttpResponse<String> answer = receive(INTERNAL_KEY, Fixtures.landscape1080p(), "Lecture 1.mp4", "vid-1");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"queued\",\"video_id\":\"vid-1\"}");

        LmsStandIn.Received stored = lms.await("/store", 1, COMPRESSION).get(0);
        assertThat(stored.method()).isEqualTo("POST");
        assertThat(stored.header("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(stored.header("Content-Length")).isEqualTo(Integer.toString(stored.body().length));
        assertThat(stored.header("X-API-Key")).isNull();
        assertThat(stored.header("X-Internal-Service-Key")).isNull();
        MultipartBody body = multipart(stored);
        assertThat(body.part("video_id").text()).isEqualTo("vid-1");
        assertThat(body.part("organization_id").text()).isEqualTo("org-7");
        MultipartBody.Part file = body.part("file");
        assertThat(file.filename()).matches("[0-9a-f-]{36}\\.mp4");

        Path received = Files.write(root.resolve("received.mp4"), file.content());
        MediaInfo info = MediaInfo.of(received);
        assertThat(info.video().path("codec_name").asText()).isEqualTo("h264");
        assertThat(info.video().path("pix_fmt").asText()).isEqualTo("yuv420p");
        assertThat(info.width()).isEqualTo(1280);
        assertThat(info.height()).isEqualTo(720);
        assertThat(info.streams("audio")).singleElement()
                .satisfies(audio -> assertThat(audio.path("codec_name").asText()).isEqualTo("aac"));

        awaitStatus("vid-1", "awaiting_confirmation", Duration.ofSeconds(10));
        // only the compressed file (byte for byte what the LMS got) and the job's marker stay
        awaitLeftInWorkDir(left -> left.stream().filter(Files::isRegularFile).count() == 2, Duration.ofSeconds(10));
        Path kept = leftInWorkDir().stream().filter(p -> p.getFileName().toString().equals(file.filename()))
                .findFirst().orElseThrow();
        assertThat(Files.readAllBytes(kept)).isEqualTo(file.content());
        assertThat(lms.received("/store")).hasSize(1);
    }

    @Test
    void stores_the_hls_package_as_one_hls_part_per_file_named_by_its_path_and_keeps_it_until_confirmed()
            throws Exception {
        start("media.hls.segment-seconds", "1");
        HttpResponse<String> answer = service.uploadTo("/video/receive", INTERNAL_KEY, Fixtures.small480p(),
                "clip.mp4", "video_id", "vid-hls", "organization_id", "org-7", "outputs", "hls");
        assertThat(answer.statusCode()).isEqualTo(200);

        MultipartBody body = multipart(lms.await("/store", 1, COMPRESSION).get(0));
        assertThat(body.part("video_id").text()).isEqualTo("vid-hls");
        assertThat(body.part("organization_id").text()).isEqualTo("org-7");
        // hls alone: no MP4 part
        assertThat(body.parts()).noneMatch(p -> "file".equals(p.name()));
        List<MultipartBody.Part> hls = body.parts().stream().filter(p -> "hls".equals(p.name())).toList();
        // (AAC frames do not end on the second: the audio rendition may have a short third segment)
        assertThat(hls).extracting(MultipartBody.Part::filename).filteredOn(f -> !f.startsWith("audio/segment-"))
                .containsExactlyInAnyOrder("master.m3u8", "poster.jpg", "storyboard.jpg", "storyboard.vtt",
                        "480p/index.m3u8", "480p/init_0.mp4", "480p/segment-00000.m4s", "480p/segment-00001.m4s",
                        "360p/index.m3u8", "360p/init_1.mp4", "360p/segment-00000.m4s", "360p/segment-00001.m4s",
                        "audio/index.m3u8", "audio/init_2.mp4");
        assertThat(hls).extracting(MultipartBody.Part::filename).filteredOn(f -> f.startsWith("audio/segment-"))
                .containsAll(List.of("audio/segment-00000.m4s", "audio/segment-00001.m4s"))
                .allMatch(f -> f.matches("audio/segment-\\d{5}\\.m4s"));
        assertThat(hls).filteredOn(p -> p.filename().endsWith(".m3u8")).allSatisfy(p ->
                assertThat(p.headers()).contains("Content-Type: application/vnd.apple.mpegurl"));

        // the parts put back together are a package that plays: every rung decodes completely
        Path rebuilt = root.resolve("rebuilt");
        for (MultipartBody.Part part : hls) {
            Path file = rebuilt.resolve(part.filename());
            Files.createDirectories(file.getParent());
            Files.write(file, part.content());
        }
        for (String rung : List.of("480p", "360p")) {
            Path joined = HlsCheck.joined(HlsCheck.media(rebuilt.resolve(rung + "/index.m3u8")),
                    root.resolve(rung + ".mp4"));
            assertThat(HlsCheck.decodeErrors(joined)).isEmpty();
            assertThat(HlsCheck.framesAndDuration(joined, "v")[0]).isEqualTo(60);
        }
        assertThat(HlsCheck.variants(rebuilt.resolve("master.m3u8"))).extracting(HlsCheck.Variant::uri)
                .containsExactly("480p/index.m3u8", "360p/index.m3u8");

        // the package waits in WORK_DIR for the confirmation, then goes
        awaitStatus("vid-hls", "awaiting_confirmation", Duration.ofSeconds(10));
        awaitLeftInWorkDir(left -> left.stream().filter(Files::isRegularFile).count() == hls.size() + 1,
                Duration.ofSeconds(10));
        assertThat(confirm("vid-hls").statusCode()).isEqualTo(200);
        awaitLeftInWorkDir(List::isEmpty, Duration.ofSeconds(10));
    }

    @Test
    void retries_a_store_that_answers_502_twice_then_200_exactly_three_times() throws Exception {
        start();
        lms.answer("/store", 502, 502, 200);
        assertThat(receive(INTERNAL_KEY, Fixtures.small480p(), "clip.mp4", "vid-2").statusCode()).isEqualTo(200);

        List<LmsStandIn.Received> calls = lms.await("/store", 3, COMPRESSION);
        awaitStatus("vid-2", "awaiting_confirmation", Duration.ofSeconds(10));
        lms.assertNoMoreThan("/store", 3, Duration.ofSeconds(1)); // twice the longest retry delay
        assertThat(lms.received("/store")).hasSize(3);

        // every attempt sends the whole file again
        for (LmsStandIn.Received call : calls) {
            assertThat(call.body()).isEqualTo(calls.get(0).body());
            assertThat(multipart(call).part("video_id").text()).isEqualTo("vid-2");
        }
        assertThat(multipart(calls.get(0)).part("file").content()).isNotEmpty();
        // exponential backoff from 200ms: at least 200ms, then at least 400ms
        assertThat(LmsStandIn.between(calls.get(0), calls.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(LmsStandIn.between(calls.get(1), calls.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void a_store_call_waiting_for_its_retry_does_not_hold_the_compression_worker() throws Exception {
        start("retry.initial-delay", "20s", "retry.max-delay", "20s");
        lms.answer("/store", 502);
        assertThat(receive(INTERNAL_KEY, Fixtures.small480p(), "clip.mp4", "vid-wait").statusCode()).isEqualTo(200);
        lms.await("/store", 1, COMPRESSION);

        // the only worker is free: a /compress/ job runs to its end while the store call waits
        assertThat(service.upload(RunningService.KEY, Fixtures.small480p(), "clip.mp4", "media_id", "next")
                .statusCode()).isEqualTo(200);
        awaitStatus("next", "completed", Duration.ofSeconds(18));
        assertThat(lms.received("/store")).hasSize(1);
        assertThat(statusOf("vid-wait")).isEqualTo("awaiting_confirmation");
    }

    @Test
    void fails_the_job_and_deletes_its_files_when_the_store_never_answers_200() throws Exception {
        start("retry.max-attempts", "3");
        // 201 is not 200 either; a 503 is not repeated by the HTTP client on its own
        lms.answer("/store", 503, 201);
        assertThat(receive(INTERNAL_KEY, Fixtures.small480p(), "clip.mp4", "vid-3").statusCode()).isEqualTo(200);

        lms.await("/store", 3, COMPRESSION);
        awaitStatus("vid-3", "failed: the LMS store answered HTTP 201", Duration.ofSeconds(10));
        awaitLeftInWorkDir(List::isEmpty, Duration.ofSeconds(10));
        lms.assertNoMoreThan("/store", 3, Duration.ofSeconds(1));
        assertThat(lms.received("/store")).hasSize(3);
    }

    @Test
    void confirm_answers_completed_completes_the_job_and_empties_work_dir() throws Exception {
        start();
        assertThat(receive(INTERNAL_KEY, Fixtures.small480p(), "clip.mp4", "vid-4").statusCode()).isEqualTo(200);
        lms.await("/store", 1, COMPRESSION);
        awaitStatus("vid-4", "awaiting_confirmation", Duration.ofSeconds(10));

        HttpResponse<String> confirmed = confirm("vid-4");
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.body()).isEqualTo("{\"status\":\"completed\",\"video_id\":\"vid-4\"}");
        assertThat(statusOf("vid-4")).isEqualTo("completed");
        awaitLeftInWorkDir(List::isEmpty, Duration.ofSeconds(10));

        // a confirmation sent again, because the LMS lost the first answer, gets the same answer
        HttpResponse<String> again = confirm("vid-4");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(confirmed.body());
    }

    @Test
    void confirm_refuses_an_unknown_or_unfinished_job_and_anything_but_a_form() throws Exception {
        start();
        HttpResponse<String> unknown = confirm("nobody");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).isEqualTo("Unknown video_id");
        assertThat(JSON.readTree(unknown.body()).path("video_id").asText()).isEqualTo("nobody");

        service.context().getRouteController().stopRoute("transcode");
        assertThat(receive(INTERNAL_KEY, Fixtures.small480p(), "clip.mp4", "vid-5").statusCode()).isEqualTo(200);
        HttpResponse<String> unfinished = confirm("vid-5");
        assertThat(unfinished.statusCode()).isEqualTo(409);
        JsonNode refusal = JSON.readTree(unfinished.body());
        assertThat(refusal.path("error").asText()).isEqualTo("Not awaiting confirmation");
        assertThat(refusal.path("video_id").asText()).isEqualTo("vid-5");
        assertThat(refusal.path("status").asText()).isEqualTo("queued");
        assertThat(statusOf("vid-5")).isEqualTo("queued");

        HttpResponse<String> json = service.send(HttpRequest.newBuilder(service.uri("/video/confirm"))
                .header("X-API-Key", RunningService.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"video_id\":\"vid-5\"}")));
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(json.body()).startsWith("{\"error\":\"Unsupported media type\"");
        HttpResponse<String> get = service.send(HttpRequest.newBuilder(service.uri("/video/confirm?video_id=vid-5"))
                .header("X-API-Key", RunningService.KEY).GET());
        assertThat(get.statusCode()).isEqualTo(405);
        HttpResponse<String> noId = service.send(HttpRequest.newBuilder(service.uri("/video/confirm"))
                .header("X-API-Key", RunningService.KEY).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("id=vid-5")));
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(noId.body()).startsWith("{\"error\":\"Missing video_id\"");
        HttpResponse<String> noKey = service.send(HttpRequest.newBuilder(service.uri("/video/confirm"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("video_id=vid-5")));
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(statusOf("vid-5")).isEqualTo("queued");
    }

    @Test
    void an_unconfirmed_job_expires_after_the_ttl_and_leaves_nothing_behind() throws Exception {
        start("handshake.ttl", "1s");
        assertThat(receive(INTERNAL_KEY, Fixtures.small480p(), "clip.mp4", "vid-6").statusCode()).isEqualTo(200);
        lms.await("/store", 1, COMPRESSION);
        awaitStatus("vid-6", "expired", Duration.ofSeconds(15));
        awaitLeftInWorkDir(List::isEmpty, Duration.ofSeconds(5));

        HttpResponse<String> late = confirm("vid-6");
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(late.body()).path("status").asText()).isEqualTo("expired");
    }

    @Test
    void the_owner_deletes_the_files_of_a_job_confirmed_on_another_instance() throws Exception {
        start();
        assertThat(receive(INTERNAL_KEY, Fixtures.small480p(), "clip.mp4", "vid-7").statusCode()).isEqualTo(200);
        lms.await("/store", 1, COMPRESSION);
        awaitStatus("vid-7", "awaiting_confirmation", Duration.ofSeconds(10));
        awaitLeftInWorkDir(left -> !left.isEmpty(), Duration.ofSeconds(5));

        // another instance behind the load balancer took the confirmation: only the shared store changed
        JobStore store = service.context().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
        Job waiting = store.find("vid-7").orElseThrow();
        assertThat(store.updateIf(JobState.AWAITING_CONFIRMATION, waiting.completed())).isTrue();

        awaitLeftInWorkDir(List::isEmpty, Duration.ofSeconds(5));
        assertThat(statusOf("vid-7")).isEqualTo("completed");
    }

    @Test
    void receive_refuses_a_missing_or_wrong_key_and_takes_either_header() throws Exception {
        start();
        service.context().getRouteController().stopRoute("transcode");
        Path video = Fixtures.small480p();
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("X-API-Key", "wrong"),
                Map.of("X-Internal-Service-Key", "wrong"))) {
            HttpResponse<String> refused = receive(headers, video, "clip.mp4", "vid-8");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).isEqualTo("{\"error\":\"Unauthorized\"}");
        }
        assertThat(service.filesLeftInWorkDir()).isEmpty();
        assertThat(statusOf("vid-8")).isEqualTo("not_found");

        assertThat(receive(Map.of("X-API-Key", RunningService.KEY), video, "clip.mp4", "vid-8").statusCode())
                .isEqualTo(200);
        assertThat(receive(Map.of("X-Internal-Service-Key", "other-key"), video, "clip.mp4", "vid-9").statusCode())
                .isEqualTo(200);
    }

    @Test
    void receive_validates_like_compress_and_takes_avi() throws Exception {
        start("media.video.max-size-mb", "2");
        service.context().getRouteController().stopRoute("transcode");
        Path text = Files.writeString(root.resolve("t.mp4"), "hello world, not a video");
        Path png = Files.write(root.resolve("a.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A,
            0, 0, 0, 13});
        Path tooBig = root.resolve("big.avi");
        Files.copy(Fixtures.avi(), tooBig);
        try (RandomAccessFile f = new RandomAccessFile(tooBig.toFile(), "rw")) {
            f.setLength(4L * 1024 * 1024);
        }
        Path video = Fixtures.small480p();

        assertRefused(receive(INTERNAL_KEY, png, "a.png", "v"), "Unsupported file type");
        assertRefused(receive(INTERNAL_KEY, text, "t.mp4", "v"), "Unsupported file type");
        assertThat(curlReceive(tooBig)).startsWith("400 {\"error\":\"File size exceeds limit\"");
        assertRefused(service.uploadTo("/video/receive", INTERNAL_KEY, video, "clip.mp4", "organization_id", "o"),
                "Missing video_id");
        assertRefused(service.uploadTo("/video/receive", INTERNAL_KEY, video, "clip.mp4", "video_id", "v"),
                "Missing organization_id");
        assertRefused(service.uploadTo("/video/receive", INTERNAL_KEY, video, "clip.mp4", "video_id", "v",
                "organization_id", "../etc"), "Invalid organization_id");
        assertRefused(service.uploadTo("/video/receive", INTERNAL_KEY, video, "clip.mp4", "video_id", "a b",
                "organization_id", "o"), "Invalid video_id");
        assertRefused(service.uploadTo("/video/receive", INTERNAL_KEY, null, null, "video_id", "v",
                "organization_id", "o"), "Missing file");
        assertThat(service.filesLeftInWorkDir()).isEmpty();

        assertThat(receive(INTERNAL_KEY, Fixtures.avi(), "CLIP.AVI", "vid-avi").statusCode()).isEqualTo(200);
        HttpResponse<String> again = receive(INTERNAL_KEY, Fixtures.avi(), "clip.avi", "vid-avi");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("\"status\":\"queued\"");
        assertThat(service.stagedUploads()).hasSize(1);
    }

    @Test
    void receive_answers_503_when_no_store_url_is_set() throws Exception {
        start("lms.store-url", "");
        HttpResponse<String> answer = receive(INTERNAL_KEY, Fixtures.small480p(), "clip.mp4", "vid-10");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).startsWith("{\"error\":\"Handshake flow not configured\"");
        assertThat(service.filesLeftInWorkDir()).isEmpty();
        assertThat(statusOf("vid-10")).isEqualTo("not_found");
    }

    /** An upload the service refuses before reading it: curl waits for `100 Continue` and reads the early answer. */
    private String curlReceive(Path file) throws Exception {
        Path answer = root.resolve("curl-answer.json");
        Process curl = new ProcessBuilder("curl", "-s", "-o", answer.toString(), "-w", "%{http_code}",
                "-H", "X-Internal-Service-Key: " + RunningService.KEY, "-F", "video_id=v", "-F", "organization_id=o",
                "-F", "file=@" + file + ";filename=" + file.getFileName(), service.uri("/video/receive").toString())
                .redirectErrorStream(true).start();
        String status = new String(curl.getInputStream().readAllBytes()).trim();
        curl.waitFor();
        return status + " " + Files.readString(answer);
    }

    private static void assertRefused(HttpResponse<String> answer, String error) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).startsWith("{\"error\":\"" + error + "\"");
    }
}
