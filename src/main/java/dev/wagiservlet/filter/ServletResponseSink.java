package dev.wagiservlet.filter;

import dev.wagiservlet.cgi.CgiResponseHead;
import dev.wagiservlet.cgi.CgiStdout;
import dev.wagiservlet.cgi.Header;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Writes a module's CGI output to the servlet response: status and headers when the header block
 * is complete, then each chunk of body as the module writes it, flushed, so it reaches the client
 * while the module is still running.
 */
final class ServletResponseSink implements CgiStdout.Sink {

    private static final System.Logger LOG = System.getLogger(WagiFilter.class.getName());

    private final HttpServletResponse response;
    private final String route;
    private final long maxOutput;
    private long written;
    private ServletOutputStream body;
    private boolean rejectedHead;

    /**
     * @param maxOutput bytes of body after which the run is stopped with 502; 0 for no limit
     */
    ServletResponseSink(HttpServletResponse response, String route, long maxOutput) {
        this.response = response;
        this.route = route;
        this.maxOutput = maxOutput;
    }

    @Override
    public void head(CgiResponseHead head) throws IOException {
        for (String warning : head.warnings()) {
            LOG.log(Level.WARNING, "[{0}] {1}", route, warning);
        }
        if (!head.isValid()) {
            LOG.log(Level.ERROR, "[{0}] bad CGI response from the module: {1}", route, head.error().orElseThrow());
            rejectedHead = true;
            sendError(response, head.status(), head.error().orElseThrow());
            return;
        }
        response.setStatus(head.status());
        for (Header header : head.headers()) {
            String value = asWireBytes(header.value());
            if (header.name().equalsIgnoreCase("Content-Type")) {
                response.setContentType(value);
            } else {
                response.addHeader(header.name(), value);
            }
        }
        body = response.getOutputStream();
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

    @Override
    public void body(byte[] bytes, int offset, int length) throws IOException {
        if (maxOutput > 0 && (written += length) > maxOutput) {
            throw new LimitExceeded(502, "the module wrote more than the output limit of " + maxOutput + " bytes");
        }
        if (body != null) {
            body.write(bytes, offset, length);
            body.flush();
        }
    }

    /**
     * Answers with a plain-text error instead of whatever the module had begun (status, headers and
     * body are all dropped), if nothing has been sent yet.
     *
     * @param headers extra header names and values, in pairs
     */
    static void sendError(HttpServletResponse response, int status, String message, String... headers) throws IOException {
        response.reset();
        response.setStatus(status);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response.setHeader(headers[i], headers[i + 1]);
        }
        response.setContentType("text/plain;charset=UTF-8");
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(text.length);
        response.getOutputStream().write(text);
    }
}
