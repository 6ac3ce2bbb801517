package dev.wagiservlet.cgi;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The facts about an HTTP request that CGI passes to a module, independent of the servlet API.
 *
 * @param method the request method as received
 * @param requestUri the raw (still percent-encoded) request path, including the context path
 * @param contextPath the webapp's context path ({@code ""} at the root)
 * @param queryString the raw query without {@code ?}, or {@code null} if the URL had none
 * @param protocol e.g. {@code HTTP/1.1}
 * @param scheme {@code http} or {@code https}
 * @param serverName the host the client addressed
 * @param serverPort the port the client addressed
 * @param remoteAddr the client's IP address
 * @param remoteUser the authenticated user, or {@code null}
 * @param authType the authentication scheme, or {@code null}
 * @param contentType the request's Content-Type, or {@code null}
 * @param contentLength the body length when known (empty for a chunked body of unknown length)
 * @param headers the request headers in arrival order, repeated names repeated
 */
public record CgiRequest(
        String method,
        String requestUri,
        String contextPath,
        String queryString,
        String protocol,
        String scheme,
        String serverName,
        int serverPort,
        String remoteAddr,
        String remoteUser,
        String authType,
        String contentType,
        OptionalLong contentLength,
        List<Header> headers) {

    public CgiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(contextPath, "contextPath");
        Objects.requireNonNull(contentLength, "contentLength");
        headers = List.copyOf(headers);
    }
}
