package dev.wagiservlet.cgi;

import dev.wagiservlet.routing.RawPath;
import dev.wagiservlet.routing.RoutePattern;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the environment a module sees for one request: the CGI 1.1 meta-variables with WAGI's
 * values and extensions ({@code X_MATCHED_ROUTE}, {@code X_RAW_PATH_INFO}, {@code X_FULL_URL}),
 * and one {@code HTTP_*} variable per request header. Nothing of the host's environment.
 *
 * <p>Deviations from the reference, on purpose: {@code CONTENT_TYPE} is the request's
 * Content-Type; {@code AUTH_TYPE} and {@code REMOTE_USER} come from the container's
 * authentication; {@code SCRIPT_NAME} and {@code X_FULL_URL} include the context path; repeated
 * headers are joined with {@code ", "}; {@code Authorization} and {@code Proxy-Authorization}
 * (credentials), {@code Proxy} (httpoxy) and the hop-by-hop headers {@code Connection},
 * {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Trailer},
 * {@code Transfer-Encoding} and {@code Upgrade} (they describe the client's connection to the
 * container, not the request) are never passed, nor are headers whose names contain {@code _} (as
 * Apache httpd does: {@code X_Forwarded_For} would otherwise pose as {@code X-Forwarded-For} in
 * {@code HTTP_X_FORWARDED_FOR}); a chunked body of unknown length has no {@code CONTENT_LENGTH}.
 */
public final class CgiEnvironment {

    /** Request headers that never reach a module (lower case): credentials, httpoxy, hop-by-hop. */
    static final Set<String> WITHHELD_HEADERS = Set.of("authorization", "proxy-authorization", "proxy", "connection",
            "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    /** WAGI's value for a header that is not visible ASCII. */
    static final String CORRUPT_VALUE = "CORRUPT VALUE";

    private CgiEnvironment() {}

    /**
     * @param request the request
     * @param route the route that matched it
     * @param rawPathInfo the raw path below the route
     * @return the variables, in a stable order
     */
    public static Map<String, String> build(CgiRequest request, RoutePattern route, String rawPathInfo) {
        Map<String, String> env = new LinkedHashMap<>();
        String pathInfo = percentDecode(rawPathInfo);
        String scriptName = request.contextPath() + (route.path().isEmpty() && !request.contextPath().isEmpty() ? "" : route.scriptName());
        String query = request.queryString() == null ? "" : request.queryString();

        env.put("AUTH_TYPE", nullToEmpty(request.authType()));
        request.contentLength().ifPresent(length -> env.put("CONTENT_LENGTH", Long.toString(length)));
        env.put("CONTENT_TYPE", nullToEmpty(request.contentType()));
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("PATH_INFO", pathInfo);
        env.put("PATH_TRANSLATED", pathInfo);
        env.put("QUERY_STRING", query);
        env.put("REMOTE_ADDR", nullToEmpty(request.remoteAddr()));
        env.put("REMOTE_HOST", nullToEmpty(request.remoteAddr()));
        env.put("REMOTE_USER", nullToEmpty(request.remoteUser()));
        env.put("REQUEST_METHOD", request.method());
        env.put("SCRIPT_NAME", scriptName);
        env.put("SERVER_NAME", request.serverName());
        env.put("SERVER_PORT", Integer.toString(request.serverPort()));
        env.put("SERVER_PROTOCOL", request.protocol());
        env.put("SERVER_SOFTWARE", "WAGI/1");
        env.put("X_FULL_URL", request.scheme() + "://" + request.serverName() + ":" + request.serverPort()
                + request.requestUri() + (request.queryString() == null ? "" : "?" + request.queryString()));
        env.put("X_MATCHED_ROUTE", route.text());
        env.put("X_RAW_PATH_INFO", rawPathInfo);

        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : request.headers()) {
            if (WITHHELD_HEADERS.contains(header.name().toLowerCase(Locale.ROOT)) || header.name().indexOf('_') >= 0) {
                continue;
            }
            String value = isVisibleAscii(header.value()) ? header.value() : CORRUPT_VALUE;
            headers.merge(variableName(header.name()), value, (a, b) -> a + ", " + b);
        }
        env.putAll(headers);
        return env;
    }

    /** {@code Content-Type} becomes {@code HTTP_CONTENT_TYPE}. */
    static String variableName(String headerName) {
        return "HTTP_" + headerName.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Decodes {@code %XX} as UTF-8 (malformed bytes become U+FFFD); {@code +} stays {@code +}. */
    static String percentDecode(String raw) {
        return RawPath.decode(raw);
    }

    private static boolean isVisibleAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
