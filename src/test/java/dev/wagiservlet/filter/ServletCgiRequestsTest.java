package dev.wagiservlet.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.wagiservlet.cgi.CgiEnvironment;
import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.routing.RoutePattern;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ServletCgiRequestsTest {

    @Test
    void aChunkedBodyHasNoLengthThoughTransferEncodingNeverReachesTheModule() {
        CgiRequest cgi = ServletCgiRequests.from(request("POST", -1, Map.of("Transfer-Encoding", "chunked", "X-Kept", "yes")));
        assertEquals(OptionalLong.empty(), cgi.contentLength(), "the servlet request's Transfer-Encoding still decides");
        Map<String, String> env = CgiEnvironment.build(cgi, RoutePattern.parse("/..."), "/");
        assertFalse(env.containsKey("CONTENT_LENGTH"), env.toString());
        assertFalse(env.containsKey("HTTP_TRANSFER_ENCODING"), env.toString());
        assertEquals("yes", env.get("HTTP_X_KEPT"));
    }

    @Test
    void noBodyHasLengthZeroAndADeclaredLengthIsKept() {
        assertEquals(OptionalLong.of(0), ServletCgiRequests.from(request("GET", -1, Map.of())).contentLength());
        assertEquals(OptionalLong.of(7), ServletCgiRequests.from(request("POST", 7, Map.of("Content-Length", "7"))).contentLength());
    }

    /** A servlet request with the given method, declared length and headers; everything else null. */
    private static HttpServletRequest request(String method, long contentLength, Map<String, String> headers) {
        Map<String, String> byName = new LinkedHashMap<>(headers);
        return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> "/x/";
                    case "getContextPath" -> "";
                    case "getProtocol" -> "HTTP/1.1";
                    case "getScheme" -> "http";
                    case "getServerName" -> "localhost";
                    case "getServerPort" -> 8080;
                    case "getContentLengthLong" -> contentLength;
                    case "getHeaderNames" -> Collections.enumeration(List.copyOf(byName.keySet()));
                    case "getHeaders" -> Collections.enumeration(byName.containsKey((String) args[0])
                            ? List.of(byName.get((String) args[0])) : List.<String>of());
                    case "getHeader" -> byName.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase((String) args[0]))
                            .map(Map.Entry::getValue).findFirst().orElse(null);
                    default -> null;
                });
    }
}
