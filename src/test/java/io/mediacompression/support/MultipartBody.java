package io.mediacompression.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of a multipart/form-data body a stand-in received, split as a server would split them. */
public record MultipartBody(List<Part> parts) {

    /** One part: its field name, the filename when it is a file, its own headers and its bytes. */
    public record Part(String name, String filename, List<String> headers, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("\\bfilename=\"([^\"]*)\"");

    public static MultipartBody parse(String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new AssertionError("not multipart/form-data: " + contentType);
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new AssertionError("no boundary in " + contentType);
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            start += 2; // CRLF after the delimiter
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                throw new AssertionError("multipart body is not closed");
            }
            parts.add(part(Arrays.copyOfRange(body, start, next - 2))); // CRLF before the next delimiter
            at = next;
        }
        return new MultipartBody(parts);
    }

    public Part part(String name) {
        List<Part> named = parts.stream().filter(p -> p.name().equals(name)).toList();
        if (named.size() != 1) {
            throw new AssertionError("expected one part '" + name + "', got " + named.size());
        }
        return named.get(0);
    }

    public Optional<String> field(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst().map(Part::text);
    }

    private static Part part(byte[] raw) {
        int split = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        List<String> headers = List.of(new String(raw, 0, split, StandardCharsets.UTF_8).split("\r\n"));
        String disposition = headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith("content-disposition:"))
                .findFirst().orElseThrow(() -> new AssertionError("part without Content-Disposition"));
        Matcher name = NAME.matcher(disposition);
        Matcher filename = FILENAME.matcher(disposition);
        return new Part(name.find() ? name.group(1) : null, filename.find() ? filename.group(1) : null, headers,
                Arrays.copyOfRange(raw, split + 4, raw.length));
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
