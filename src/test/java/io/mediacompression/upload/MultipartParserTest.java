package io.mediacompression.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartParserTest {

    private static final String BOUNDARY = "----b0undary";

    /** What the parser reported: each part with all its data. */
    private record Received(MultipartParser.Part part, byte[] data) {
    }

    private static final class Recorder implements MultipartParser.Listener {
        final List<Received> parts = new ArrayList<>();
        private MultipartParser.Part current;
        private ByteArrayOutputStream data;

        @Override
        public void partStarted(MultipartParser.Part part) {
            current = part;
            data = new ByteArrayOutputStream();
        }

        @Override
        public void partData(ByteBuffer slice) {
            byte[] bytes = new byte[slice.remaining()];
            slice.get(slice.position(), bytes);
            data.writeBytes(bytes);
        }

        @Override
        public void partEnded() {
            parts.add(new Received(current, data.toByteArray()));
            current = null;
        }
    }

    // File content that looks like the delimiter in every way but one.
    private static byte[] trickyContent() {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        String almostTheDelimiter = "\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "X";
        content.writeBytes(("\r\n--" + BOUNDARY.substring(0, 6) + "\r\r\n-" + almostTheDelimiter)
                .getBytes(StandardCharsets.ISO_8859_1));
        content.writeBytes(("--" + BOUNDARY + "\n\r\n--" + BOUNDARY.toUpperCase() + "\r").getBytes(StandardCharsets.ISO_8859_1));
        return content.toByteArray();
    }

    private static byte[] body(byte[] fileContent) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("preamble to ignore\r\n--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"media_id\"\r\n\r\n"
                + "abc-123\r\n"
                + "--" + BOUNDARY + " \t\r\n"
                + "content-disposition: form-data; name=\"file\"; filename=\"clip; \\\"final\\\".png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(fileContent);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\nepilogue to ignore").getBytes(StandardCharsets.ISO_8859_1));
        return body.toByteArray();
    }

    private static List<Received> parse(byte[] body, int... cuts) throws Exception {
        Recorder recorder = new Recorder();
        MultipartParser parser = new MultipartParser(BOUNDARY, recorder);
        int from = 0;
        for (int cut : cuts) {
            parser.feed(ByteBuffer.wrap(body, from, cut - from));
            from = cut;
        }
        parser.feed(ByteBuffer.wrap(body, from, body.length - from));
        parser.end();
        return recorder.parts;
    }

    private static void assertParts(List<Received> parts, byte[] fileContent) {
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).part()).isEqualTo(new MultipartParser.Part("media_id", Optional.empty()));
        assertThat(new String(parts.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("abc-123");
        assertThat(parts.get(1).part()).isEqualTo(new MultipartParser.Part("file", Optional.of("clip; \"final\".png")));
        assertThat(parts.get(1).data()).isEqualTo(fileContent);
    }

    @Test
    void finds_the_same_parts_wherever_the_body_is_cut_into_chunks() throws Exception {
        byte[] content = trickyContent();
        byte[] body = body(content);
        for (int cut = 1; cut < body.length; cut++) {
            assertParts(parse(body, cut), content);
        }
        int[] everyByte = new int[body.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertParts(parse(body, everyByte), content);
    }

    @Test
    void passes_large_random_content_through_unchanged_in_random_chunks() throws Exception {
        Random random = new Random(42);
        byte[] content = new byte[3 * 1024 * 1024];
        random.nextBytes(content);
        byte[] body = body(content);
        List<Integer> cuts = new ArrayList<>();
        for (int at = random.nextInt(9000); at < body.length; at += 1 + random.nextInt(70_000)) {
            cuts.add(at);
        }
        assertParts(parse(body, cuts.stream().mapToInt(Integer::intValue).toArray()), content);
    }

    @Test
    void finds_the_first_delimiter_wherever_it_falls_in_a_large_chunk() throws Exception {
        // The search splits a chunk into quarters; with file contents of every length up to a few quarters, the
        // delimiters (after media_id, after the file) fall before, on and after each boundary between them.
        Random random = new Random(7);
        byte[] nearMiss = ("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "X").getBytes(StandardCharsets.ISO_8859_1);
        for (int length = 0; length < 600; length++) {
            byte[] content = new byte[length];
            random.nextBytes(content);
            for (int at = 0; at + nearMiss.length <= length; at += 1 + random.nextInt(60)) {
                System.arraycopy(nearMiss, 0, content, at, nearMiss.length);
            }
            assertParts(parse(body(content)), content);
        }
    }

    @Test
    void reads_an_extended_filename_and_a_body_that_opens_with_its_boundary() throws Exception {
        byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=file; filename=\"fallback.txt\"; "
                + "filename*=UTF-8''na%C3%AFve+1.PNG\r\n\r\nx\r\n--" + BOUNDARY + "--").getBytes(StandardCharsets.UTF_8);
        List<Received> parts = parse(body);
        assertThat(parts).singleElement().extracting(Received::part)
                .isEqualTo(new MultipartParser.Part("file", Optional.of("naïve+1.PNG")));
    }

    @Test
    void refuses_a_body_that_ends_before_its_closing_boundary() {
        byte[] body = body(new byte[] {1, 2, 3});
        byte[] cutShort = java.util.Arrays.copyOf(body, body.length - 30);
        assertThatThrownBy(() -> parse(cutShort)).isInstanceOf(MultipartParser.MalformedException.class);
        assertThatThrownBy(() -> parse("no boundary at all".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MultipartParser.MalformedException.class);
    }

    @Test
    void refuses_parts_without_a_form_data_name_or_with_endless_headers() {
        byte[] noName = ("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + BOUNDARY + "--")
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> parse(noName)).isInstanceOf(MultipartParser.MalformedException.class);
        byte[] endless = ("--" + BOUNDARY + "\r\nX-Long: " + "a".repeat(MultipartParser.MAX_HEADER_BYTES))
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> parse(endless)).hasMessageContaining("longer than");
        byte[] junkAfterBoundary = ("--" + BOUNDARY + "junk\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> parse(junkAfterBoundary)).isInstanceOf(MultipartParser.MalformedException.class);
    }

    @Test
    void takes_the_boundary_from_a_multipart_form_data_content_type_only() {
        assertThat(MultipartParser.boundary("multipart/form-data; boundary=abc")).contains("abc");
        assertThat(MultipartParser.boundary("Multipart/Form-Data; charset=utf-8; Boundary=\"a b=c\"")).contains("a b=c");
        assertThat(MultipartParser.boundary("multipart/form-data")).isEmpty();
        assertThat(MultipartParser.boundary("multipart/mixed; boundary=abc")).isEmpty();
        assertThat(MultipartParser.boundary("multipart/form-data; boundary=" + "x".repeat(71))).isEmpty();
        assertThat(MultipartParser.boundary(null)).isEmpty();
    }
}
