package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediacompression.support.AwaitJob;
import io.mediacompression.support.Fixtures;
import io.mediacompression.support.HlsCheck;
import io.mediacompression.support.LmsStandIn;
import io.mediacompression.support.MediaInfo;
import io.mediacompression.support.RunningService;
import io.mediacompression.support.ServiceExtension;
import io.mediacompression.support.SftpStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.api.management.ManagedCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's main flow end to end: compressed media uploaded to a real SFTP server (host key checked against a
 * known_hosts file made with ssh-keyscan, password login), then confirmed to a stand-in LMS, with the retries of both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SftpDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIRM = "/api/media/confirm";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @RegisterExtension
    static final ServiceExtension APP = ServiceExtension.application()
            .with("jobs.workers", "1")
            .withSftp()
            .with("sftp.known-hosts-file", SftpDeliveryTest::knownHostsByKeyscan)
            .withLms("client-confirm.url", CONFIRM)
            // six attempts: retries after 100, 200, 400, 800 and 1000 ms
            .with("retry.max-attempts", "6")
            .with("retry.initial-delay", "100ms")
            .with("retry.max-delay", "1s");

    @TempDir
    static Path root;

    private SftpStandIn sftp;
    private LmsStandIn lms;
    private RunningService service;

    @AfterEach
    void nothing_is_left_in_the_work_dir() throws Exception {
        assertThat(service.filesLeftInWorkDir()).isEmpty();
    }

    @Test
    void uploads_the_compressed_video_under_a_uuid_name_and_confirms_it_with_the_contract_json() throws Exception {
        lms.answer(CONFIRM, 200);
        upload(Fixtures.landscape1080p(), "clip.mp4", "video-1");

        JsonNode status = AwaitJob.finished(service, "video-1");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        String filePath = status.path("filePath").asText();
        assertThat(filePath).matches("/public_html/videos/" + UUID + "\\.mp4");

        Path onServer = sftp.root().resolve(filePath.substring(1));
        MediaInfo delivered = MediaInfo.of(onServer);
        assertThat(delivered.video().path("codec_name").asText()).isEqualTo("h264");
        assertThat(delivered.width()).isEqualTo(1280);
        assertThat(delivered.height()).isEqualTo(720);
        assertThat(delivered.faststart()).isTrue();

        // the final name was never written to: it appeared by renaming the complete temporary file
        assertThat(sftp.files()).contains(filePath).noneMatch(f -> f.endsWith(".part"));
        List<SftpStandIn.Event> touching = sftp.events().stream()
                .filter(e -> e.path().startsWith(filePath) || filePath.equals(e.from())).toList();
        assertThat(touching).containsExactly(
                new SftpStandIn.Event("written", filePath + ".part", null, -1),
                new SftpStandIn.Event("renamed", filePath, filePath + ".part", Files.size(onServer)));

        List<LmsStandIn.Received> calls = callsFor("video-1");
        assertThat(calls).hasSize(1);
        LmsStandIn.Received call = calls.get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.header("Content-Type")).startsWith("application/json");
        assertThat(call.header("X-API-Key")).isNull();
        JsonNode body = JSON.readTree(call.body());
        assertThat(body).isEqualTo(JSON.createObjectNode().put("mediaId", "video-1").put("filePath", filePath));
        assertThat(call.bodyText()).isEqualTo("{\"mediaId\":\"video-1\",\"filePath\":\"" + filePath + "\"}");
    }

    @Test
    void completes_after_exactly_three_calls_when_the_lms_answers_503_twice() throws Exception {
        lms.answer(CONFIRM, 503, 503, 200);
        upload(Fixtures.jpeg(), "photo.jpg", "image-503");

        JsonNode status = AwaitJob.finished(service, "image-503");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(status.path("filePath").asText()).matches("/public_html/images/" + UUID + "\\.jpg");
        List<LmsStandIn.Received> calls = callsFor("image-503");
        assertThat(calls).hasSize(3);
        // every attempt carries the same contract JSON
        assertThat(calls).extracting(LmsStandIn.Received::bodyText).containsOnly(calls.get(0).bodyText());
    }

    @Test
    void ends_as_db_update_failed_keeping_the_file_path_when_the_lms_keeps_failing() throws Exception {
        lms.answer(CONFIRM, 500);
        upload(Fixtures.jpeg(), "photo.jpg", "image-500");

        JsonNode status = AwaitJob.finished(service, "image-500");
        assertThat(status.path("status").asText()).isEqualTo("db_update_failed");
        String filePath = status.path("filePath").asText();
        assertThat(filePath).matches("/public_html/images/" + UUID + "\\.jpg");
        assertThat(sftp.root().resolve(filePath.substring(1))).isRegularFile();

        List<LmsStandIn.Received> calls = callsFor("image-500");
        assertThat(calls).hasSize(6);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < calls.size(); i++) {
            gaps.add(LmsStandIn.between(calls.get(i - 1), calls.get(i)).toMillis());
        }
        // 100, 200, 400, 800, then capped at 1000 ms: each wait at least its delay, and longer than the one before
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(100);
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(200).isGreaterThan(gaps.get(0));
        assertThat(gaps.get(2)).isGreaterThanOrEqualTo(400).isGreaterThan(gaps.get(1));
        assertThat(gaps.get(3)).isGreaterThanOrEqualTo(800).isGreaterThan(gaps.get(2));
        assertThat(gaps.get(4)).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void completes_when_the_lms_comes_back_within_the_retry_window() throws Exception {
        lms.answer(CONFIRM, 200);
        lms.stop();
        try {
            upload(Fixtures.jpeg(), "photo.jpg", "image-lms-back");
            // uploaded (filePath known) and still processing: the confirmation is being tried, the LMS is down
            AwaitJob.until(service, "image-lms-back", s -> s.has("filePath"));
            TimeUnit.MILLISECONDS.sleep(500); // scenario, not polling: it stays down into the retries
        } finally {
            lms.restart();
        }
        JsonNode status = AwaitJob.finished(service, "image-lms-back");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(callsFor("image-lms-back")).hasSize(1);
    }

    @Test
    void completes_when_the_sftp_server_comes_back_within_the_retry_window() throws Exception {
        long failedBefore = failedUploads();
        sftp.stop();
        try {
            upload(Fixtures.jpeg(), "photo.jpg", "image-sftp-back");
            // compressed (progress 100) and still processing: the job is at delivery, and the server is down
            AwaitJob.until(service, "image-sftp-back", s -> s.path("progress").asInt() == 100);
            TimeUnit.MILLISECONDS.sleep(500); // scenario, not polling: it stays down into the retries
        } finally {
            sftp.restart();
        }
        JsonNode status = AwaitJob.finished(service, "image-sftp-back");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(sftp.root().resolve(status.path("filePath").asText().substring(1))).isRegularFile();
        assertThat(failedUploads() - failedBefore).isPositive();
        assertThat(callsFor("image-sftp-back")).hasSize(1);
    }

    @Test
    void fails_after_every_attempt_when_the_sftp_server_stays_down() throws Exception {
        long failedBefore = failedUploads();
        sftp.stop();
        try {
            upload(Fixtures.jpeg(), "photo.jpg", "image-sftp-down");
            JsonNode status = AwaitJob.finished(service, "image-sftp-down");
            assertThat(status.path("status").asText()).isEqualTo("failed: upload to client storage failed");
            assertThat(status.has("filePath")).isFalse();
        } finally {
            sftp.restart();
        }
        // RETRY_MAX_ATTEMPTS = 6: the first attempt and five retries
        assertThat(failedUploads() - failedBefore).isEqualTo(6);
        assertThat(callsFor("image-sftp-down")).isEmpty();
    }

    @Test
    void fails_without_uploading_when_the_host_key_does_not_match() throws Exception {
        List<String> filesBefore = sftp.files();
        int eventsBefore = sftp.events().size();
        long failedBefore = failedUploads();
        sftp.restartAsImpostor();
        try {
            upload(Fixtures.jpeg(), "photo.jpg", "image-impostor");
            JsonNode status = AwaitJob.finished(service, "image-impostor");
            assertThat(status.path("status").asText()).isEqualTo("failed: client storage host key not trusted");
        } finally {
            sftp.restart();
        }
        assertThat(sftp.files()).isEqualTo(filesBefore);
        assertThat(sftp.events()).hasSize(eventsBefore);
        // not retried: waiting does not make an unknown server trusted
        assertThat(failedUploads() - failedBefore).isEqualTo(1);
        assertThat(callsFor("image-impostor")).isEmpty();
    }

    @Test
    void uploads_the_hls_package_under_a_temporary_folder_renamed_when_complete_and_confirms_its_paths() throws Exception {
        lms.answer(CONFIRM, 200);
        assertThat(service.upload(RunningService.KEY, Fixtures.small480p(), "lecture.mp4", "media_id", "hls-sftp",
                "outputs", "mp4,hls").statusCode()).isEqualTo(200);

        JsonNode status = AwaitJob.finished(service, "hls-sftp");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        String hlsPath = status.path("hlsPath").asText();
        assertThat(hlsPath).matches("/public_html/videos/" + UUID + "/master\\.m3u8");
        String folder = hlsPath.substring(0, hlsPath.lastIndexOf('/'));
        assertThat(status.path("filePath").asText()).matches("/public_html/videos/" + UUID + "\\.mp4");
        assertThat(status.path("posterPath").asText()).isEqualTo(folder + "/poster.jpg");
        assertThat(status.path("storyboardPath").asText()).isEqualTo(folder + "/storyboard.vtt");

        // the whole package arrived under its final folder name, and only there
        List<String> inFolder = sftp.files().stream().filter(f -> f.startsWith(folder + "/"))
                .map(f -> f.substring(folder.length() + 1)).toList();
        assertThat(inFolder).containsExactlyInAnyOrder("master.m3u8", "poster.jpg", "storyboard.jpg", "storyboard.vtt",
                "480p/index.m3u8", "480p/init_0.mp4", "480p/segment-00000.m4s",
                "360p/index.m3u8", "360p/init_1.mp4", "360p/segment-00000.m4s",
                "audio/index.m3u8", "audio/init_2.mp4", "audio/segment-00000.m4s");
        assertThat(sftp.files()).noneMatch(f -> f.contains(".part"));
        // every file was written under <uuid>.part/, and the folder appeared by one rename of the complete folder
        List<SftpStandIn.Event> touching = sftp.events().stream()
                .filter(e -> e.path().startsWith(folder) || (e.from() != null && e.from().startsWith(folder))).toList();
        assertThat(touching.subList(0, touching.size() - 1)).hasSize(inFolder.size())
                .allSatisfy(e -> assertThat(e.kind()).isEqualTo("written"))
                .allSatisfy(e -> assertThat(e.path()).startsWith(folder + ".part/"));
        assertThat(touching.get(touching.size() - 1)).extracting(SftpStandIn.Event::kind, SftpStandIn.Event::path,
                SftpStandIn.Event::from).containsExactly("renamed", folder, folder + ".part");

        // every rung on the server decodes completely
        Path master = sftp.root().resolve(hlsPath.substring(1));
        for (HlsCheck.Variant v : HlsCheck.variants(master)) {
            HlsCheck.Media rung = HlsCheck.media(master.resolveSibling(v.uri()));
            Path joined = HlsCheck.joined(rung, root.resolve("sftp-" + v.uri().replace('/', '-') + ".mp4"));
            assertThat(HlsCheck.decodeErrors(joined)).isEmpty();
            assertThat(HlsCheck.framesAndDuration(joined, "v")[0]).isEqualTo(60);
        }

        // the LMS is told where all of it is
        List<LmsStandIn.Received> calls = callsFor("hls-sftp");
        assertThat(calls).hasSize(1);
        JsonNode body = JSON.readTree(calls.get(0).body());
        assertThat(body.path("filePath").asText()).isEqualTo(status.path("filePath").asText());
        assertThat(body.path("hlsPath").asText()).isEqualTo(hlsPath);
        assertThat(body.path("posterPath").asText()).isEqualTo(folder + "/poster.jpg");
        assertThat(body.path("storyboardPath").asText()).isEqualTo(folder + "/storyboard.vtt");
        assertThat(body.path("renditions")).isEqualTo(status.path("renditions"));
        assertThat(body.path("renditions")).extracting(r -> r.path("width").asInt() + "x" + r.path("height").asInt())
                .containsExactly("640x480", "480x360");
    }

    @Test
    void retries_the_hls_package_upload_until_the_sftp_server_is_back() throws Exception {
        long failedBefore = failedUploads("sftp-upload-package");
        sftp.stop();
        try {
            assertThat(service.upload(RunningService.KEY, Fixtures.small480p(), "lecture.mp4", "media_id",
                    "hls-sftp-back", "outputs", "hls").statusCode()).isEqualTo(200);
            AwaitJob.until(service, "hls-sftp-back", s -> s.path("progress").asInt() == 100);
            TimeUnit.MILLISECONDS.sleep(500); // scenario, not polling: it stays down into the retries
        } finally {
            sftp.restart();
        }
        JsonNode status = AwaitJob.finished(service, "hls-sftp-back");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(status.path("filePath").asText()).isEqualTo(status.path("hlsPath").asText());
        assertThat(sftp.root().resolve(status.path("hlsPath").asText().substring(1))).isRegularFile();
        assertThat(failedUploads("sftp-upload-package") - failedBefore).isPositive();
        assertThat(sftp.files()).noneMatch(f -> f.contains(".part"));
    }

    private void upload(Path file, String name, String mediaId) throws Exception {
        assertThat(service.upload(RunningService.KEY, file, name, "media_id", mediaId).statusCode()).isEqualTo(200);
    }

    private List<LmsStandIn.Received> callsFor(String mediaId) {
        return lms.received(CONFIRM).stream()
                .filter(r -> r.bodyText().contains("\"" + mediaId + "\"")).toList();
    }

    // upload attempts that failed so far, as JMX shows them for the step `sftp-upload`
    private long failedUploads() throws Exception {
        return failedUploads("sftp-upload");
    }

    private long failedUploads(String step) throws Exception {
        return service.context().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedProcessor(step).getExchangesFailed();
    }

    /** The README's recipe: `ssh-keyscan -p PORT host > known_hosts`. */
    private static String knownHostsByKeyscan(ServiceExtension app) {
        try {
            Process p = new ProcessBuilder("ssh-keyscan", "-p", Integer.toString(app.sftp().port()), "127.0.0.1")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as("ssh-keyscan output").contains("ecdsa-sha2-nistp256");
            return Files.writeString(app.root().resolve("known_hosts"), out).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
