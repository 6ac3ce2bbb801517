package dev.wagiservlet.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A request path as received (still percent-encoded), against the path the container made of it.
 * Routes match the raw path; the container authorises (security constraints) and maps the
 * normalised one, with dot segments resolved and {@code ;} parameters removed. When the two differ
 * by more than percent-decoding, a route could serve a path the container never authorised, so
 * such a request must not reach a module.
 */
public final class RawPath {

    private RawPath() {}

    /**
     * Whether the container's normalised path is the raw path, percent-decoded, and nothing else.
     *
     * @param raw the raw path, relative to the context path
     * @param normalised the container's decoded, normalised path (servlet path + path info), or
     *     null if the container could not give one
     */
    public static boolean agrees(String raw, String normalised) {
        if (normalised == null) {
            return false;
        }
        if (raw.equals(normalised)) {
            return true; // the usual case: nothing encoded, nothing to resolve
        }
        return decode(raw).equals(normalised);
    }

    /** Decodes {@code %XX} as UTF-8 (malformed bytes become U+FFFD); {@code +} stays {@code +}. */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        byte[] in = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                bytes.write(hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
            } else {
                bytes.write(in[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
