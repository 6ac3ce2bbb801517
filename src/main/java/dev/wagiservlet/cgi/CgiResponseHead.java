package dev.wagiservlet.cgi;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a module's CGI header block says about the response: the status and the headers to send,
 * or, when the block is unusable, the error status and message to answer with instead.
 *
 * @param status the HTTP status
 * @param headers the headers to send, in the module's order (repeated names repeated); never
 *     {@code Content-Length}, which is {@code contentLength}
 * @param contentLength the body length the module declared with {@code Content-Length}, if it did
 *     and the status allows a body: the response is framed with it, so the body must match it
 * @param error why the block is unusable; then {@code status} is the error status (500 or 502)
 * @param warnings lines that were skipped, for the log
 */
public record CgiResponseHead(int status, List<Header> headers, OptionalLong contentLength, Optional<String> error,
        List<String> warnings) {

    public CgiResponseHead {
        headers = List.copyOf(headers);
        warnings = List.copyOf(warnings);
    }

    /** A head without a declared body length. */
    public CgiResponseHead(int status, List<Header> headers, Optional<String> error, List<String> warnings) {
        this(status, headers, OptionalLong.empty(), error, warnings);
    }

    static CgiResponseHead failure(int status, String message, List<String> warnings) {
        return new CgiResponseHead(status, List.of(), Optional.of(message), warnings);
    }

    /** Whether the module's response can be sent. */
    public boolean isValid() {
        return error.isEmpty();
    }
}
