package dev.wagiservlet.core;

import dev.wagiservlet.metrics.ErrorKind;

/**
 * The one table of what can go wrong with a request, each with the kind the metrics count it as
 * and the status and reason it is answered with (when the response is not yet committed; once it
 * is, the connection is aborted). docs/status-and-metrics.md lists the same table, and a test
 * holds the two together.
 */
public enum Failure {
    /** The method is not in the route's {@code methods}. */
    METHOD(ErrorKind.METHOD, 405, "Method Not Allowed"),
    /** The declared request body is over {@code max_body_size}. */
    TOO_LARGE(ErrorKind.TOO_LARGE, 413, "Payload Too Large"),
    /** The raw path is one the container normalises into another. */
    BAD_PATH(ErrorKind.BAD_PATH, 400, "Bad Request: the path has dot segments or ; parameters"),
    /** The request body stopped arriving until the container's read timeout. */
    BODY_TIMEOUT(ErrorKind.CLIENT, 408, "Request Timeout"),
    /** The client broke the request body off. */
    BODY_BROKEN(ErrorKind.CLIENT, 400, "Bad Request"),
    /** No free slot within {@code concurrency_wait}. */
    BUSY(ErrorKind.BUSY, 503, "Service Unavailable"),
    /** The memory budget had no room for the run's instance or its growth. */
    MEMORY(ErrorKind.MEMORY, 503, "Service Unavailable"),
    /** The module file could not be read or compiled when the request came. */
    LOAD(ErrorKind.LOAD, 500, "Internal Server Error"),
    /** The module could not be instantiated (an import the host lacks, initial memory over the cap). */
    LINK(ErrorKind.LINK, 500, "Internal Server Error"),
    /** The route's entrypoint is not an exported function without parameters and results. */
    ENTRYPOINT(ErrorKind.ENTRYPOINT, 500, "Internal Server Error"),
    /** The module trapped. */
    TRAP(ErrorKind.TRAP, 500, "Internal Server Error"),
    /** The module called {@code proc_exit} with a non-zero code. */
    EXIT(ErrorKind.EXIT, 500, "Internal Server Error"),
    /** The module's output has no CGI header block: no blank line, or none of Content-Type, Location, Status. */
    NO_CGI_HEAD(ErrorKind.BAD_CGI, 500, "Exactly one of 'location' or 'content-type' must be specified"),
    /** The module's CGI header block is unusable: a bad Status, control characters, too large. */
    BAD_CGI_HEAD(ErrorKind.BAD_CGI, 502, "Bad Gateway"),
    /** The module wrote less body than its Content-Length declares. */
    SHORT_BODY(ErrorKind.BAD_CGI, 502, "Bad Gateway"),
    /** The request body streamed past {@code max_body_size}. */
    BODY_LIMIT(ErrorKind.LIMIT, 413, "Payload Too Large"),
    /** The module wrote past {@code max_output_size}, or past its own Content-Length. */
    OUTPUT_LIMIT(ErrorKind.LIMIT, 502, "Bad Gateway"),
    /** The run went past its route's {@code timeout}. */
    TIMEOUT(ErrorKind.TIMEOUT, 504, "Gateway Timeout"),
    /** The run was stopped because the webapp is stopping. */
    SHUTDOWN(ErrorKind.SHUTDOWN, 503, "Service Unavailable"),
    /** Anything else: an unexpected exception, or an Error such as OutOfMemoryError. */
    OTHER(ErrorKind.OTHER, 500, "Internal Server Error");

    private final ErrorKind kind;
    private final int status;
    private final String reason;

    Failure(ErrorKind kind, int status, String reason) {
        this.kind = kind;
        this.status = status;
        this.reason = reason;
    }

    /** What the metrics count it as. */
    public ErrorKind kind() {
        return kind;
    }

    /** The status it is answered with. */
    public int status() {
        return status;
    }

    /** The plain-text body it is answered with. */
    public String reason() {
        return reason;
    }

    /** Whether a client may try again later: the answer then carries {@code Retry-After}. */
    public boolean retryable() {
        return status == 503;
    }
}
