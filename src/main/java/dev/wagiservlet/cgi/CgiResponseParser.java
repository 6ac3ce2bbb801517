package dev.wagiservlet.cgi;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Interprets a CGI header block (the bytes before the blank line, carriage returns already
 * removed) as WAGI does: {@code Content-Type}, {@code Location} (302 unless a {@code Status} is
 * given) and {@code Status: NNN reason}; any other header is passed on, each line as its own
 * header, so two {@code Set-Cookie} lines give two headers.
 *
 * <p>Two things frame the response on the client's connection, so a module cannot be trusted with
 * them as it writes them: a {@code Status} of 100 to 199 is not a final response (sent as one, the
 * client would take the next response on the connection for this one's), and gives 502; a
 * {@code Content-Length} must be one non-negative decimal number (repeated only with the same
 * value), else 502, and is kept apart as {@link CgiResponseHead#contentLength()} so that the body
 * can be held to it; with 204 and 304, which have no body, it is dropped with a warning.
 */
public final class CgiResponseParser {

    /** The reference's message when a module names no content type, location or status. */
    public static final String NO_CONTENT_TYPE = "Exactly one of 'location' or 'content-type' must be specified";

    /** Hop-by-hop headers belong to the container's connection, not to a module. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade", "trailer", "te");

    private CgiResponseParser() {}

    /** Parses a complete header block. */
    public static CgiResponseHead parse(byte[] block, int length) {
        List<String> warnings = new ArrayList<>();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(block, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return CgiResponseHead.failure(500, "The module's CGI header block is not valid UTF-8", warnings);
        }
        String contentType = null;
        String location = null;
        String status = null;
        List<String> contentLengths = new ArrayList<>();
        List<Header> headers = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                warnings.add("corrupt header line (no ':'): " + line);
                continue;
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "content-type" -> contentType = value;
                case "location" -> location = value;
                case "status" -> status = value;
                case "content-length" -> contentLengths.add(value);
                default -> {
                    if (!isToken(name)) {
                        warnings.add("invalid header name skipped: " + name);
                    } else if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                        warnings.add("hop-by-hop header skipped: " + name);
                    } else if (!isFieldValue(value)) {
                        warnings.add("header with control characters in its value skipped: " + name);
                    } else {
                        headers.add(new Header(name, value));
                    }
                }
            }
        }
        for (String value : new String[] {contentType, location, status}) {
            if (value != null && !isFieldValue(value)) {
                return CgiResponseHead.failure(502, "The module sent a Content-Type, Location or Status with control characters", warnings);
            }
        }
        if (contentType == null && location == null && status == null) {
            return CgiResponseHead.failure(500, NO_CONTENT_TYPE, warnings);
        }
        int code = 200;
        if (status != null) {
            code = statusCode(status);
            if (code < 0) {
                return CgiResponseHead.failure(502, "The module sent an invalid Status header: '" + status + "'", warnings);
            }
            if (code < 200) {
                return CgiResponseHead.failure(502, "The module sent an informational Status, which cannot end a response: '"
                        + status + "'", warnings);
            }
        } else if (location != null) {
            code = 302;
        }
        OptionalLong contentLength = OptionalLong.empty();
        if (!contentLengths.isEmpty()) {
            long declared = contentLength(contentLengths);
            if (declared < 0) {
                return CgiResponseHead.failure(502, "The module sent an invalid Content-Length: '"
                        + String.join("', '", contentLengths) + "'", warnings);
            }
            if (code == 204 || code == 304) {
                warnings.add("Content-Length skipped: a " + code + " response has no body");
            } else {
                contentLength = OptionalLong.of(declared);
            }
        }
        if (location != null) {
            headers.add(0, new Header("Location", location));
        }
        if (contentType != null) {
            headers.add(0, new Header("Content-Type", contentType));
        }
        return new CgiResponseHead(code, headers, contentLength, Optional.empty(), warnings);
    }

    /**
     * The length the module's {@code Content-Length} lines declare: each line a decimal number, or a
     * list of them separated by commas, all of the same value (RFC 9112, 6.3); -1 for anything else:
     * differing values, signs, spaces within a number, other characters, an empty value, or a
     * number too large to be a length.
     */
    static long contentLength(List<String> values) {
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                long n = decimal(part.strip());
                if (n < 0 || (length >= 0 && n != length)) {
                    return -1;
                }
                length = n;
            }
        }
        return length;
    }

    /** A non-negative decimal number of at most 18 digits (it then fits a long), or -1. */
    private static long decimal(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    /**
     * {@code 404 Not Found} gives 404; anything but a three-digit code from 100 to 999 gives -1.
     * (Codes from 100 to 199 are parsed, and refused by the caller with their own message.)
     */
    static int statusCode(String status) {
        int space = status.indexOf(' ');
        String code = space < 0 ? status : status.substring(0, space);
        if (code.length() != 3) {
            return -1;
        }
        for (int i = 0; i < 3; i++) {
            if (code.charAt(i) < '0' || code.charAt(i) > '9') {
                return -1;
            }
        }
        int value = Integer.parseInt(code);
        return value >= 100 ? value : -1;
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
