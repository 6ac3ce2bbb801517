package dev.wagiservlet.bench.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a case sends: nothing (GET), a POST of the 64-byte pattern repeated ({@code bench.lua post N}),
 * or a POST of a file's bytes with a content type ({@code bench.lua file PATH TYPE}).
 *
 * @param patternBytes size of a pattern body, or 0
 * @param file a file whose bytes are the body, or null
 * @param contentType the content type of a file body
 */
record RequestBody(int patternBytes, Path file, String contentType) {

    static final RequestBody NONE = new RequestBody(0, null, null);

    static RequestBody pattern(int bytes) {
        return new RequestBody(bytes, null, null);
    }

    static RequestBody file(Path file, String contentType) {
        return new RequestBody(0, file, contentType);
    }

    boolean isPost() {
        return patternBytes > 0 || file != null;
    }

    /** The arguments bench.lua gets after {@code --}; none for a GET. */
    List<String> scriptArgs() {
        if (file != null) {
            return List.of("file", file.toString(), contentType);
        }
        return patternBytes > 0 ? List.of("post", Integer.toString(patternBytes)) : List.of();
    }

    /** The bytes wrk sends, for the response check. */
    byte[] bytes() throws IOException {
        return file != null ? Files.readAllBytes(file) : HttpCases.echoBody(patternBytes);
    }

    String contentTypeOrDefault() {
        return file != null ? contentType : "application/octet-stream";
    }

    /** The size in bytes, for the report. */
    long size() {
        try {
            return file != null ? Files.size(file) : patternBytes;
        } catch (IOException e) {
            return -1;
        }
    }
}
