package dev.wagiservlet.filter;

import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.core.HttpPort;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The gateway's {@link HttpPort} over a servlet request and response. */
final class ServletHttpPort implements HttpPort {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private CgiRequest cgi;

    ServletHttpPort(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public CgiRequest request() {
        if (cgi == null) {
            cgi = ServletCgiRequests.from(request);
        }
        return cgi;
    }

    /**
     * The servlet path and path info: what security constraints and mappings saw; null if the
     * container cannot say (Jetty, for an ambiguous path).
     */
    @Override
    public String normalisedPath() {
        try {
            String pathInfo = request.getPathInfo();
            return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public InputStream requestBody() throws IOException {
        return request.getInputStream();
    }

    /** Tomcat hands a failed read's exception to its error page, which would show its stack trace: taken back. */
    @Override
    public void requestBodyFailed() {
        request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
    }

    @Override
    public void status(int status) {
        response.setStatus(status);
    }

    @Override
    public int status() {
        return response.getStatus();
    }

    @Override
    public void contentLength(long length) {
        response.setContentLengthLong(length);
    }

    @Override
    public void contentType(String type) {
        response.setContentType(type);
    }

    @Override
    public void addHeader(String name, String value) {
        response.addHeader(name, value);
    }

    @Override
    public OutputStream responseBody() throws IOException {
        return response.getOutputStream();
    }

    @Override
    public boolean committed() {
        return response.isCommitted();
    }

    @Override
    public void answer(int status, String text, String... headers) throws IOException {
        answer(response, status, text, headers);
    }

    /**
     * Answers with a plain-text body instead of whatever was begun (status, headers and body are
     * all dropped), if nothing has been sent yet.
     *
     * @param headers extra header names and values, in pairs
     */
    static void answer(HttpServletResponse response, int status, String text, String... headers) throws IOException {
        response.reset();
        response.setStatus(status);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response.setHeader(headers[i], headers[i + 1]);
        }
        response.setContentType("text/plain;charset=UTF-8");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
