package dev.wagiservlet.engine.http;

import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed parts of the {@code wasi_experimental_http} ABI, the same on every engine: the import
 * module's name, its functions and their arity (every parameter and result an i32), the error
 * codes, and the header text the module writes and reads. Pure logic; the calls themselves are
 * {@link ExperimentalHttpSession}'s.
 */
public final class ExperimentalHttpAbi {

    /** The import module name. */
    public static final String MODULE = "wasi_experimental_http";

    public static final int SUCCESS = 0;
    public static final int INVALID_HANDLE = 1;
    public static final int MEMORY_NOT_FOUND = 2;
    public static final int MEMORY_ACCESS_ERROR = 3;
    public static final int BUFFER_TOO_SMALL = 4;
    public static final int HEADER_NOT_FOUND = 5;
    public static final int UTF8_ERROR = 6;
    public static final int DESTINATION_NOT_ALLOWED = 7;
    public static final int INVALID_METHOD = 8;
    public static final int INVALID_ENCODING = 9;
    public static final int INVALID_URL = 10;
    public static final int REQUEST_ERROR = 11;
    public static final int RUNTIME_ERROR = 12;
    public static final int TOO_MANY_SESSIONS = 13;

    /** The functions the host provides, each with its number of i32 parameters (and one i32 result). */
    public static final Map<String, Integer> FUNCTIONS = functions();

    private ExperimentalHttpAbi() {}

    private static Map<String, Integer> functions() {
        Map<String, Integer> f = new LinkedHashMap<>(); // in the reference's order, for messages
        f.put("req", 10);
        f.put("close", 1);
        f.put("header_get", 6);
        f.put("headers_get_all", 4);
        f.put("body_read", 4);
        return Collections.unmodifiableMap(f);
    }

    /** An error code on its way back to the module. */
    static final class Code extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Code(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    static String utf8(byte[] bytes) throws Code {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Code(UTF8_ERROR);
        }
    }

    static String asciiLowerCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    /** An RFC 9110 token: what reqwest accepts as a method and the http crate as a header name. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The module's header text: one {@code name:value} per line ({@code \n} or {@code \r\n}), split at the
     * first colon; a later line of the same name replaces an earlier one (as the reference's
     * {@code HeaderMap::insert}).
     */
    static Map<String, String[]> parseHeaders(String text) throws Code {
        Map<String, String[]> headers = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return headers;
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : body.split("\n", -1)) {
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new Code(INVALID_ENCODING);
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1);
            if (!isToken(name)) {
                throw new Code(INVALID_ENCODING);
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                    throw new Code(INVALID_ENCODING);
                }
            }
            headers.put(asciiLowerCase(name), new String[] {name, value.strip()});
        }
        return headers;
    }

    /** The reference's header_map_to_string: {@code name:value\n} per value; 12 for text it refuses. */
    static byte[] serialize(HttpHeaders headers) throws Code {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
            String name = asciiLowerCase(header.getKey());
            if (name.startsWith(":")) {
                continue; // HTTP/2 pseudo-headers are not headers
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (Character.getType(c) == Character.CONTROL || "(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                    throw new Code(RUNTIME_ERROR);
                }
            }
            for (String raw : header.getValue()) {
                String value = utf8OrRuntimeError(raw.getBytes(StandardCharsets.ISO_8859_1));
                if (value.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
                    throw new Code(RUNTIME_ERROR);
                }
                b.append(name).append(':').append(value).append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8OrRuntimeError(byte[] bytes) throws Code {
        try {
            return utf8(bytes);
        } catch (Code e) {
            throw new Code(RUNTIME_ERROR);
        }
    }
}
