package dev.wagiservlet.core;

import dev.wagiservlet.cgi.CgiResponseHead;
import dev.wagiservlet.cgi.CgiStdout;
import dev.wagiservlet.cgi.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Writes a module's CGI output to the response ({@link HttpPort}): status and headers when the header block
 * is complete, then the body as the module writes it. At first the body is held in the
 * container's response buffer (a quick run is then sent in one piece, with a Content-Length);
 * once {@link #release() released}, by the {@link OutputRelay} when the run has gone on for a while,
 * every write is flushed, so it reaches the client while the module is still running.
 *
 * <p>A module's own {@code Content-Length} frames the response on the client's connection, so the
 * body is held to it: a write that would go past it stops the run with 502 (nothing of it is
 * written), and {@link #shortfall()} tells the filter, after the run, how much is missing; the
 * response must then not end as if it were whole. A HEAD response has no body, so there the length
 * is sent as declared and not enforced, and none of the body is passed on: the container would
 * discard it, and Jetty fails a response whose body is neither empty nor the declared length.
 *
 * <p>The release comes from another thread than the run's, so everything that touches the
 * response here is synchronized, and the run {@link #close() closes} the sink before the filter
 * touches the response again: after that, a late release does nothing.
 */
final class ResponseSink implements CgiStdout.Sink, OutputRelay.HeldOutput {

    private static final System.Logger LOG = System.getLogger(ResponseSink.class.getName());

    private final HttpPort response;
    private final String route;
    private final long maxOutput;
    private final boolean headRequest;
    private long declared = -1;
    private long written;
    private OutputStream body;
    private boolean rejectedHead;
    private volatile boolean holding;
    private boolean streaming;
    private boolean closed;

    /**
     * @param maxOutput bytes of body after which the run is stopped with 502; 0 for no limit
     * @param headRequest whether the request is a HEAD, whose response has no body
     */
    ResponseSink(HttpPort response, String route, long maxOutput, boolean headRequest) {
        this.response = response;
        this.route = route;
        this.maxOutput = maxOutput;
        this.headRequest = headRequest;
    }

    @Override
    public synchronized void head(CgiResponseHead head) throws IOException {
        for (String warning : head.warnings()) {
            LOG.log(Level.WARNING, "[{0}] {1}", route, warning);
        }
        if (!head.isValid()) {
            LOG.log(Level.ERROR, "[{0}] bad CGI response from the module: {1}", route, head.error().orElseThrow());
            rejectedHead = true;
            response.answer(head.status(), head.error().orElseThrow());
            return;
        }
        response.status(head.status());
        if (head.contentLength().isPresent()) {
            declared = head.contentLength().getAsLong();
            response.contentLength(declared);
        }
        for (Header header : head.headers()) {
            String value = asWireBytes(header.value());
            if (header.name().equalsIgnoreCase("Content-Type")) {
                response.contentType(value);
            } else {
                response.addHeader(header.name(), value);
            }
        }
        body = response.responseBody();
    }

    /** Whether the module's CGI header block was unusable, and answered with an error instead. */
    boolean rejectedHead() {
        return rejectedHead;
    }

    /**
     * Containers write header values as ISO-8859-1, one byte per char, and drop or mangle other
     * characters; a module's UTF-8 value goes out as the same bytes it wrote, as in the reference.
     */
    static String asWireBytes(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7f) {
                return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return value;
    }

    /**
     * How many bytes of body the module's {@code Content-Length} declared and it did not write; 0
     * without a declared length, and for HEAD.
     */
    synchronized long shortfall() {
        return declared < 0 || headRequest ? 0 : Math.max(0, declared - written);
    }

    @Override
    public synchronized void body(byte[] bytes, int offset, int length) throws IOException {
        long total = written + length;
        if (maxOutput > 0 && total > maxOutput) {
            throw new LimitExceeded(Failure.OUTPUT_LIMIT, "the module wrote more than the output limit of " + maxOutput + " bytes");
        }
        if (declared >= 0 && total > declared && !headRequest) {
            throw new LimitExceeded(Failure.OUTPUT_LIMIT, "the module wrote more than the " + declared + " bytes its Content-Length declares");
        }
        written = total;
        if (body != null && !(headRequest && declared >= 0)) {
            body.write(bytes, offset, length);
            if (streaming) {
                body.flush();
            } else {
                holding = true;
            }
        }
    }

    @Override
    public boolean holding() {
        return holding;
    }

    /** Sends what is held and streams from now on; on another thread than the run's. */
    @Override
    public synchronized void release() {
        if (closed) {
            return;
        }
        streaming = true;
        holding = false;
        try {
            if (body != null) {
                body.flush();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "[{0}] sending the module''s first output failed: {1}", route, e); // the run's next write fails too
        }
    }

    /** Ends the run's use of the response: waits for a release under way, and makes any later one do nothing. */
    synchronized void close() {
        closed = true;
    }
}
