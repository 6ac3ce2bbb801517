package dev.wagiservlet.cgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.routing.RoutePattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgiEnvironmentTest {

    /** A mutable builder for requests, defaulting to a plain GET at the root context. */
    private static final class Req {
        String method = "GET";
        String contextPath = "";
        String requestUri = "/";
        String queryString = null;
        String protocol = "HTTP/1.1";
        String scheme = "http";
        String serverName = "localhost";
        int serverPort = 8080;
        String remoteAddr = "127.0.0.1";
        String remoteUser = null;
        String authType = null;
        String contentType = null;
        OptionalLong contentLength = OptionalLong.of(0);
        List<Header> headers = new ArrayList<>();

        Req header(String name, String value) {
            headers.add(new Header(name, value));
            return this;
        }

        CgiRequest build() {
            return new CgiRequest(method, requestUri, contextPath, queryString, protocol, scheme, serverName,
                    serverPort, remoteAddr, remoteUser, authType, contentType, contentLength, headers);
        }
    }

    /** Builds the environment the way the filter does: the match is made on the path below the context. */
    private static Map<String, String> env(Req req, String route) {
        RoutePattern pattern = RoutePattern.parse(route);
        String rawPath = req.requestUri.substring(req.contextPath.length());
        assertTrue(pattern.matches(rawPath), route + " must match " + rawPath);
        return CgiEnvironment.build(req.build(), pattern, pattern.relativePath(rawPath));
    }

    /** The request of deislabs/wagi's http_util.rs test_headers. */
    private static Req referenceRequest() {
        Req req = new Req();
        req.method = "POST";
        req.requestUri = "/path/test%3brun";
        req.queryString = "foo=bar";
        req.scheme = "https";
        req.serverName = "example.com";
        req.serverPort = 3000;
        req.remoteAddr = "192.168.0.1";
        req.contentLength = OptionalLong.of(1234);
        req.header("Host", "example.com:3000");
        req.header("X-Test-Header", "hello");
        req.header("Authorization", "Basic dXNlcjpwYXNz");
        req.header("Connection", "keep-alive");
        return req;
    }

    @Test
    void referenceTestHeadersValues() {
        Map<String, String> env = env(referenceRequest(), "/path/...");
        assertEquals("/path/...", env.get("X_MATCHED_ROUTE"));
        assertEquals("/path", env.get("SCRIPT_NAME"));
        assertEquals("/test;run", env.get("PATH_INFO"));
        assertEquals("/test;run", env.get("PATH_TRANSLATED"));
        assertEquals("/test%3brun", env.get("X_RAW_PATH_INFO"));
        assertEquals("foo=bar", env.get("QUERY_STRING"));
        assertEquals("1234", env.get("CONTENT_LENGTH"));
        assertEquals("example.com", env.get("SERVER_NAME"));
        assertEquals("3000", env.get("SERVER_PORT"));
        assertEquals("HTTP/1.1", env.get("SERVER_PROTOCOL"));
        assertEquals("https://example.com:3000/path/test%3brun?foo=bar", env.get("X_FULL_URL"));
        assertEquals("hello", env.get("HTTP_X_TEST_HEADER"));
        assertEquals("example.com:3000", env.get("HTTP_HOST"));
        assertEquals("POST", env.get("REQUEST_METHOD"));
        assertEquals("192.168.0.1", env.get("REMOTE_ADDR"));
        assertEquals("192.168.0.1", env.get("REMOTE_HOST"));
        assertEquals("CGI/1.1", env.get("GATEWAY_INTERFACE"));
        assertEquals("WAGI/1", env.get("SERVER_SOFTWARE"));
        assertEquals("", env.get("AUTH_TYPE"));
        assertEquals("", env.get("REMOTE_USER"));
        assertEquals("", env.get("CONTENT_TYPE"));
        assertFalse(env.containsKey("HTTP_AUTHORIZATION"));
        assertFalse(env.containsKey("HTTP_CONNECTION"));
        assertFalse(env.containsKey("HTTP_PROXY"));
    }

    @Test
    void referenceRequestGivesExactlyTheseVariables() {
        Map<String, String> env = env(referenceRequest(), "/path/...");
        Set<String> expected = new TreeSet<>(List.of(
                "AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "GATEWAY_INTERFACE", "PATH_INFO", "PATH_TRANSLATED",
                "QUERY_STRING", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_USER", "REQUEST_METHOD", "SCRIPT_NAME",
                "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SERVER_SOFTWARE", "X_FULL_URL", "X_MATCHED_ROUTE",
                "X_RAW_PATH_INFO", "HTTP_HOST", "HTTP_X_TEST_HEADER"));
        assertEquals(expected, new TreeSet<>(env.keySet()));
    }

    @Test
    void nothingOfTheHostEnvironmentLeaksIn() {
        Map<String, String> env = env(referenceRequest(), "/path/...");
        assertFalse(env.containsKey("PATH"));
        assertFalse(env.containsKey("HOME"));
        assertFalse(env.containsKey("JAVA_HOME"));
        assertFalse(env.containsKey("USER"));
        for (Map.Entry<String, String> host : System.getenv().entrySet()) {
            String name = host.getKey();
            if (env.containsKey(name)) {
                // only a CGI variable of the same name may exist, and then not with the host's value by accident
                assertTrue(name.startsWith("HTTP_") || name.startsWith("X_") || name.startsWith("SERVER_")
                        || name.startsWith("REMOTE_") || name.startsWith("CONTENT_") || name.startsWith("PATH_")
                        || Set.of("AUTH_TYPE", "GATEWAY_INTERFACE", "QUERY_STRING", "REQUEST_METHOD", "SCRIPT_NAME")
                                .contains(name), "host variable leaked: " + name);
            }
        }
    }

    @Test
    void proxyHeaderIsWithheld() {
        Map<String, String> env = env(new Req().header("Proxy", "http://evil.example:1234").header("PROXY", "x"), "/");
        assertFalse(env.containsKey("HTTP_PROXY"));
    }

    @Test
    void withheldHeadersAreMatchedCaseInsensitively() {
        Map<String, String> env = env(new Req()
                .header("authorization", "Bearer x")
                .header("CONNECTION", "close")
                .header("Proxy-Authorization", "kept, it is another header"), "/");
        assertFalse(env.containsKey("HTTP_AUTHORIZATION"));
        assertFalse(env.containsKey("HTTP_CONNECTION"));
        assertFalse(env.containsKey("HTTP_PROXY_AUTHORIZATION"), "proxy credentials are credentials too");
    }

    @ParameterizedTest
    @CsvSource({
        "Proxy-Authorization, Basic c2VjcmV0OnNlY3JldA==",
        "proxy-authorization, Bearer x",
        "TE, trailers",
        "Upgrade, websocket",
        "Keep-Alive, timeout=5",
        "Proxy-Connection, keep-alive",
        "Trailer, X-Checksum",
        "Transfer-Encoding, chunked",
        "TRANSFER-ENCODING, chunked",
    })
    void credentialsAndHopByHopHeadersAreWithheld(String name, String value) {
        Map<String, String> env = env(new Req().header(name, value).header("X-Kept", "yes"), "/");
        assertFalse(env.containsKey(CgiEnvironment.variableName(name)), name + " reached the module: " + env);
        assertEquals("yes", env.get("HTTP_X_KEPT"));
    }

    @Test
    void contentTypeComesFromTheRequest() {
        Req req = new Req();
        req.method = "POST";
        req.contentType = "application/json; charset=utf-8";
        req.header("Content-Type", "application/json; charset=utf-8");
        Map<String, String> env = env(req, "/");
        assertEquals("application/json; charset=utf-8", env.get("CONTENT_TYPE"));
        assertEquals("application/json; charset=utf-8", env.get("HTTP_CONTENT_TYPE"));
    }

    @Test
    void authTypeAndRemoteUserComeFromTheRequest() {
        Req req = new Req();
        req.authType = "BASIC";
        req.remoteUser = "alice";
        req.header("Authorization", "Basic YWxpY2U6c2VjcmV0");
        Map<String, String> env = env(req, "/");
        assertEquals("BASIC", env.get("AUTH_TYPE"));
        assertEquals("alice", env.get("REMOTE_USER"));
        assertFalse(env.containsKey("HTTP_AUTHORIZATION"));
    }

    @Test
    void exactRouteInContextPath() {
        Req req = new Req();
        req.contextPath = "/wagi";
        req.requestUri = "/wagi/hello";
        req.queryString = "a=1";
        req.serverName = "host.example";
        req.serverPort = 8443;
        req.scheme = "https";
        Map<String, String> env = env(req, "/hello");
        assertEquals("/wagi/hello", env.get("SCRIPT_NAME"));
        assertEquals("", env.get("PATH_INFO"));
        assertEquals("", env.get("PATH_TRANSLATED"));
        assertEquals("", env.get("X_RAW_PATH_INFO"));
        assertEquals("/hello", env.get("X_MATCHED_ROUTE"));
        assertEquals("https://host.example:8443/wagi/hello?a=1", env.get("X_FULL_URL"));
    }

    @Test
    void catchAllInContextPathHasContextAsScriptName() {
        Req req = new Req();
        req.contextPath = "/wagi";
        req.requestUri = "/wagi/a/b";
        Map<String, String> env = env(req, "/...");
        assertEquals("/wagi", env.get("SCRIPT_NAME"));
        assertEquals("/a/b", env.get("PATH_INFO"));
        assertEquals("/a/b", env.get("X_RAW_PATH_INFO"));
        assertEquals("/...", env.get("X_MATCHED_ROUTE"));
        assertEquals("http://localhost:8080/wagi/a/b", env.get("X_FULL_URL"));
    }

    @Test
    void catchAllAtContextRootSlash() {
        Req req = new Req();
        req.contextPath = "/wagi";
        req.requestUri = "/wagi/";
        Map<String, String> env = env(req, "/...");
        assertEquals("/wagi", env.get("SCRIPT_NAME"));
        assertEquals("/", env.get("PATH_INFO"));
    }

    @Test
    void catchAllAtRootContextHasSlashScriptName() {
        Req req = new Req();
        req.requestUri = "/";
        Map<String, String> env = env(req, "/...");
        assertEquals("/", env.get("SCRIPT_NAME"));
        assertEquals("/", env.get("PATH_INFO"));
        assertEquals("/", env.get("X_RAW_PATH_INFO"));
        assertEquals("http://localhost:8080/", env.get("X_FULL_URL"));
    }

    @Test
    void prefixRouteInContextPath() {
        Req req = new Req();
        req.contextPath = "/wagi";
        req.requestUri = "/wagi/static/css/site.css";
        Map<String, String> env = env(req, "/static/...");
        assertEquals("/wagi/static", env.get("SCRIPT_NAME"));
        assertEquals("/css/site.css", env.get("PATH_INFO"));
        assertEquals("/static/...", env.get("X_MATCHED_ROUTE"));
    }

    @Test
    void exactRouteAtRootContext() {
        Req req = new Req();
        req.requestUri = "/hello";
        Map<String, String> env = env(req, "/hello");
        assertEquals("/hello", env.get("SCRIPT_NAME"));
        assertEquals("", env.get("PATH_INFO"));
        assertEquals("http://localhost:8080/hello", env.get("X_FULL_URL"));
    }

    @Test
    void headersWithUnderscoresAreDroppedSoTheyCannotPoseAsOthers() {
        Map<String, String> env = env(new Req()
                .header("X-Forwarded-For", "10.0.0.1")
                .header("X_Forwarded_For", "6.6.6.6")
                .header("Content_Length", "999"), "/");
        assertEquals("10.0.0.1", env.get("HTTP_X_FORWARDED_FOR"));
        assertFalse(env.containsValue("6.6.6.6"));
        assertFalse(env.containsValue("999"));
    }

    @Test
    void repeatedHeadersAreJoinedWithCommaSpace() {
        Map<String, String> env = env(new Req()
                .header("Accept", "text/html")
                .header("X-Other", "x")
                .header("accept", "application/json")
                .header("ACCEPT", "*/*"), "/");
        assertEquals("text/html, application/json, */*", env.get("HTTP_ACCEPT"));
        assertEquals("x", env.get("HTTP_X_OTHER"));
    }

    @Test
    void headerNamesAreUpperCasedWithDashesAsUnderscores() {
        Map<String, String> env = env(new Req().header("x-lower-case-name", "v").header("User-Agent", "curl/8"), "/");
        assertEquals("v", env.get("HTTP_X_LOWER_CASE_NAME"));
        assertEquals("curl/8", env.get("HTTP_USER_AGENT"));
    }

    @ParameterizedTest
    @CsvSource(value = {
        "héllo | CORRUPT VALUE",
        "日本 | CORRUPT VALUE",
        "a\u0001b | CORRUPT VALUE",
        "a\u007fb | CORRUPT VALUE",
        "a\u0080b | CORRUPT VALUE",
        "plain value ~!@#$%^&*()_+{}:<>?/ | plain value ~!@#$%^&*()_+{}:<>?/",
        "tab\there | tab\there",
    }, delimiter = '|')
    void headerValuesThatAreNotVisibleAsciiAreCorrupt(String value, String expected) {
        Map<String, String> env = env(new Req().header("X-Value", value), "/");
        assertEquals(expected, env.get("HTTP_X_VALUE"));
    }

    @ParameterizedTest
    @CsvSource(value = {
        "/a+b | /a+b",
        "/a%2Fb | /a/b",
        "/a%2fb | /a/b",
        "/a%20b | /a b",
        "/%C3%A9t%C3%A9 | /été",
        "/100% | /100%",
        "/50%zz | /50%zz",
        "/x%4 | /x%4",
        "/x%41 | /xA",
        "/%FF | /\uFFFD",
        "/a%3Bb%3fc | /a;b?c",
        "/%25 | /%",
        "/%2541 | /%41",
    }, delimiter = '|')
    void pathInfoIsPercentDecodedKeepingPlus(String rawPath, String expected) {
        Req req = new Req();
        req.requestUri = "/p" + rawPath;
        Map<String, String> env = env(req, "/p/...");
        assertEquals(expected, env.get("PATH_INFO"));
        assertEquals(expected, env.get("PATH_TRANSLATED"));
        assertEquals(rawPath, env.get("X_RAW_PATH_INFO"));
        assertEquals("http://localhost:8080/p" + rawPath, env.get("X_FULL_URL"));
    }

    @Test
    void chunkedBodyHasNoContentLength() {
        Req req = new Req();
        req.method = "POST";
        req.contentLength = OptionalLong.empty();
        req.header("Transfer-Encoding", "chunked");
        Map<String, String> env = env(req, "/");
        assertFalse(env.containsKey("CONTENT_LENGTH"));
        assertFalse(env.containsKey("HTTP_TRANSFER_ENCODING"), "hop-by-hop: the module reads a decoded body");
    }

    @Test
    void emptyBodyHasContentLengthZero() {
        Map<String, String> env = env(new Req(), "/");
        assertEquals("0", env.get("CONTENT_LENGTH"));
    }

    @Test
    void scriptNameHeaderCannotChangeScriptName() {
        Req req = new Req();
        req.requestUri = "/app/x";
        req.header("Script-Name", "/evil");
        req.header("Path-Info", "/evil");
        Map<String, String> env = env(req, "/app/...");
        assertEquals("/app", env.get("SCRIPT_NAME"));
        assertEquals("/x", env.get("PATH_INFO"));
        assertEquals("/evil", env.get("HTTP_SCRIPT_NAME"));
        assertEquals("/evil", env.get("HTTP_PATH_INFO"));
    }

    @Test
    void noQueryGivesEmptyQueryStringAndNoQuestionMark() {
        Req req = new Req();
        req.requestUri = "/hello";
        Map<String, String> env = env(req, "/hello");
        assertEquals("", env.get("QUERY_STRING"));
        assertEquals("http://localhost:8080/hello", env.get("X_FULL_URL"));
    }

    @Test
    void emptyQueryKeepsTheQuestionMarkInFullUrl() {
        Req req = new Req();
        req.requestUri = "/hello";
        req.queryString = "";
        Map<String, String> env = env(req, "/hello");
        assertEquals("", env.get("QUERY_STRING"));
        assertEquals("http://localhost:8080/hello?", env.get("X_FULL_URL"));
    }

    @Test
    void queryStringIsRaw() {
        Req req = new Req();
        req.requestUri = "/q";
        req.queryString = "a=1+2&b=%20x&c";
        Map<String, String> env = env(req, "/q");
        assertEquals("a=1+2&b=%20x&c", env.get("QUERY_STRING"));
        assertEquals("http://localhost:8080/q?a=1+2&b=%20x&c", env.get("X_FULL_URL"));
    }

    @Test
    void constantsAndProtocol() {
        Req req = new Req();
        req.protocol = "HTTP/2.0";
        req.method = "PATCH";
        Map<String, String> env = env(req, "/");
        assertEquals("CGI/1.1", env.get("GATEWAY_INTERFACE"));
        assertEquals("WAGI/1", env.get("SERVER_SOFTWARE"));
        assertEquals("HTTP/2.0", env.get("SERVER_PROTOCOL"));
        assertEquals("PATCH", env.get("REQUEST_METHOD"));
    }

    @Test
    void missingRemoteAddressGivesEmptyValues() {
        Req req = new Req();
        req.remoteAddr = null;
        Map<String, String> env = env(req, "/");
        assertEquals("", env.get("REMOTE_ADDR"));
        assertEquals("", env.get("REMOTE_HOST"));
    }

    @Test
    void noHeadersGivesNoHttpVariables() {
        Map<String, String> env = env(new Req(), "/");
        assertTrue(env.keySet().stream().noneMatch(k -> k.startsWith("HTTP_")), env.keySet().toString());
        assertNull(env.get("HTTP_HOST"));
    }
}
