package dev.wagiservlet.core;

import dev.wagiservlet.cgi.CgiRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The HTTP side of one exchange, as the {@link Gateway} sees it: the request's CGI facts and body,
 * and a response to set and write. The servlet filter implements it over
 * {@code HttpServletRequest} and {@code HttpServletResponse}; the core knows no servlets.
 *
 * <p>Only the run's thread and, under the response sink's lock, the output relay's thread use a
 * port, never at once.
 */
public interface HttpPort {

    /** The request's CGI facts: method, raw URI, headers, declared body length, ... */
    CgiRequest request();

    /** The path the container authorised and mapped (decoded, normalised, relative to the context), or null if it has none. */
    String normalisedPath();

    /** The request body, as the container delivers it; never closed by the core. */
    InputStream requestBody() throws IOException;

    /**
     * Reading the request body failed and the gateway answers it as the client's failure: the
     * container must not show its own error page with that read's exception.
     */
    void requestBodyFailed();

    /** Sets the status of a response not yet committed. */
    void status(int status);

    /** The status set so far (200 if none), as the metrics count it. */
    int status();

    /** Sets the length of the body to come. */
    void contentLength(long length);

    /** Sets the Content-Type. */
    void contentType(String type);

    /** Adds a header (a value already in the bytes it goes out as). */
    void addHeader(String name, String value);

    /** The body; writes may be held by the container until {@link OutputStream#flush()}. */
    OutputStream responseBody() throws IOException;

    /** Whether the status and headers are on their way: then only an abort can still say something failed. */
    boolean committed();

    /**
     * Answers with a short plain-text body instead of whatever was begun (status, headers and body
     * are dropped), if nothing has been sent yet.
     *
     * @param headers extra header names and values, in pairs
     */
    void answer(int status, String text, String... headers) throws IOException;
}
