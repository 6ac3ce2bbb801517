package dev.wagiservlet.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small helpers for reading what a server sends, shared by the integration tests. */
final class Wire {

    private Wire() {}

    /** Reads until the text seen so far contains the marker; fails if the connection closes first. */
    static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(UTF_8).contains(marker)) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed before '" + marker.strip() + "' arrived; got:\n" + seen.toString(UTF_8));
            }
            seen.write(b);
        }
        return seen.toString(UTF_8);
    }

    /** A response as read off the wire: its status, its headers (names in lower case) and its body. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header, or null. */
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        String text() {
            return new String(body, UTF_8);
        }
    }

    /**
     * Reads one HTTP/1.1 response as a client would, framed by its Content-Length or its chunked
     * coding (a response to HEAD, a 1xx, 204 or 304 has no body; any other runs to the end of the
     * connection). A connection that closes within the response gives EOFException; one that
     * stalls, the socket's SocketTimeoutException.
     */
    static Response readResponse(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new AssertionError("not a status line (out of step?): " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        Response framing = new Response(status, headers, new byte[0]);
        if (head || status < 200 || status == 204 || status == 304) {
            return framing;
        }
        if ("chunked".equalsIgnoreCase(framing.header("Transfer-Encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                body.write(exactly(in, size));
                line(in);
            }
            for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                // trailers are not kept
            }
            return new Response(status, headers, body.toByteArray());
        }
        if (framing.header("Content-Length") != null) {
            return new Response(status, headers, exactly(in, Integer.parseInt(framing.header("Content-Length"))));
        }
        return new Response(status, headers, in.readAllBytes());
    }

    private static int chunkSize(String line) {
        int semicolon = line.indexOf(';');
        return Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).strip(), 16);
    }

    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the connection closed after " + bytes.length + " of " + length + " bytes of body: "
                    + new String(bytes, UTF_8));
        }
        return bytes;
    }

    /** One CRLF-terminated line, without the CRLF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection closed within a response head; got: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    /** The last line of a body, trailing white space ignored. */
    static String lastLine(String body) {
        String[] lines = body.strip().split("\n");
        return lines[lines.length - 1];
    }
}
