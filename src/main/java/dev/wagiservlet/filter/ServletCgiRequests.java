package dev.wagiservlet.filter;

import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.cgi.Header;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/** Reads the CGI facts of a servlet request. */
final class ServletCgiRequests {

    private ServletCgiRequests() {}

    static CgiRequest from(HttpServletRequest request) {
        List<Header> headers = new ArrayList<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                headers.add(new Header(name, value));
            }
        }
        return new CgiRequest(
                request.getMethod(),
                request.getRequestURI(),
                request.getContextPath(),
                request.getQueryString(),
                request.getProtocol(),
                request.getScheme(),
                request.getServerName(),
                request.getServerPort(),
                request.getRemoteAddr(),
                request.getRemoteUser(),
                request.getAuthType(),
                request.getContentType(),
                contentLength(request),
                headers);
    }

    /** The declared length; zero without a body; unknown for a chunked body. */
    private static OptionalLong contentLength(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        if (length >= 0) {
            return OptionalLong.of(length);
        }
        return request.getHeader("Transfer-Encoding") == null ? OptionalLong.of(0) : OptionalLong.empty();
    }
}
