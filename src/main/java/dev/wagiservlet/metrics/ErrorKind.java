package dev.wagiservlet.metrics;

import java.util.List;

/**
 * Why a request to a route did not get the module's own response. Each kind is counted per route;
 * its {@link #label()} is the name the status page, JMX and Micrometer (tag {@code kind}) show.
 */
public enum ErrorKind {
    /** The module trapped (unreachable, out-of-bounds access, stack exhaustion, memory.grow past the cap, ...): 500. */
    TRAP("trap"),
    /** The module called {@code proc_exit} with a non-zero code: 500. */
    EXIT("exit"),
    /** The module could not be instantiated (an import the host does not provide, initial memory over the cap): 500. */
    LINK("link"),
    /** The route's entrypoint is not an exported function without parameters and results: 500. */
    ENTRYPOINT("entrypoint"),
    /** The module file could not be read or compiled when the request came: 500. */
    LOAD("load"),
    /**
     * The module wrote an unusable CGI response (no blank line, no Content-Type/Location/Status, a bad or 1xx Status, a
     * bad Content-Length, header block too large, a body shorter than its Content-Length): 500 or 502.
     */
    BAD_CGI("bad-cgi"),
    /** The run went past its route's {@code timeout}: 504. */
    TIMEOUT("timeout"),
    /**
     * The run was stopped by a limit while it ran: the body streamed past {@code max_body_size} (413), the output past
     * {@code max_output_size} or past the module's own Content-Length (502).
     */
    LIMIT("limit"),
    /** Refused before any run: the declared request body is over {@code max_body_size}: 413. */
    TOO_LARGE("too-large"),
    /** Refused before any run: the method is not in the route's {@code methods}: 405. */
    METHOD("method"),
    /** No free slot within {@code concurrency-wait} ({@code max_concurrency}, {@code max-total-concurrency}): 503. */
    BUSY("busy"),
    /** The memory budget ({@code max_total_memory}) had no room for the run's instance or its growth: 503. */
    MEMORY("memory"),
    /** The request body did not arrive (the client went away, or the container's read timeout ended the read): 408 or 400. */
    CLIENT("client"),
    /** The request path is one the container normalises differently than it reads (dot segments, {@code ;} parameters): 400. */
    BAD_PATH("bad-path"),
    /** The run was stopped because the webapp was stopping: 503. */
    SHUTDOWN("shutdown"),
    /** Anything else (an unexpected exception or error, such as OutOfMemoryError, an interrupt from elsewhere): 500. */
    OTHER("other");

    /** Every kind, in declaration order (a shared list: {@code values()} copies its array on each call). */
    public static final List<ErrorKind> ALL = List.of(values());

    private final String label;

    ErrorKind(String label) {
        this.label = label;
    }

    /** The kind's name in reports: lower case, words joined by {@code -}, e.g. {@code bad-cgi}. */
    public String label() {
        return label;
    }
}
