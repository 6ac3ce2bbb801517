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
    private ServletOutputStream body;

    ServletResponseSink(HttpServletResponse response, String route) {
        this.response = response;
        this.route = route;
    }

    @Override
    public void head(CgiResponseHead head) throws IOException {
        for (String warning : head.warnings()) {
            LOG.log(Level.WARNING, "[{0}] {1}", route, warning);
        }
        if (!head.isValid()) {
            LOG.log(Level.ERROR, "[{0}] bad CGI response from the module: {1}", route, head.error().orElseThrow());
            sendError(response, head.status(), head.error().orElseThrow());
            return;
        }
        response.setStatus(head.status());
        for (Header header : head.headers()) {
            if (header.name().equalsIgnoreCase("Content-Type")) {
                response.setContentType(header.value());
            } else {
                response.addHeader(header.name(), header.value());
            }
        }
        body = response.getOutputStream();
    }

    @Override
    public void body(byte[] bytes, int offset, int length) throws IOException {
        if (body != null) {
            body.write(bytes, offset, length);
            body.flush();
        }
    }

    /** Answers with a plain-text error, if nothing has been sent yet. */
    static void sendError(HttpServletResponse response, int status, String message) throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(text.length);
        response.getOutputStream().write(text);
    }
}
