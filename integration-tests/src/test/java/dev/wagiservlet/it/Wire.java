package dev.wagiservlet.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

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

    /** The last line of a body, trailing white space ignored. */
    static String lastLine(String body) {
        String[] lines = body.strip().split("\n");
        return lines[lines.length - 1];
    }
}
