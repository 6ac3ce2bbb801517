package dev.wagiservlet.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAGI contract, end to end in a real servlet container: the drop-in WAR at {@code /wagi}
 * (web.xml routes plus a modules.toml named by the environment variable WAGI_MODULES_TOML), and a
 * user's own webapp at {@code /app} with the library JAR, a plain servlet and a static file.
 */
abstract class WagiFilterContract extends ContainerContract {

    private Path toml;

    /** A new, not yet started container of the kind under test. */
    abstract ServletContainer newContainer();

    /** The global {@code engine} setting of both webapps ({@code WAGI_ENGINE}), or null for the default (Chicory). */
    String engine() {
        return null;
    }

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "status", "location", "status-location", "cookies", "status-only",
                "no-blank-line", "no-content-type", "bad-status", "trap", "exit0", "exit1", "stream", "midfail",
                "latefail", "stderr", "split-headers", "multi", "rust-env", "status-100", "status-101",
                "short-content-length", "long-content-length", "late-short-content-length");
        Files.copy(TestWebapps.module("hello"), modules.resolve("wasm/changing.wasm"));
        toml = modules.resolve("modules.toml");
        StringBuilder text = new StringBuilder("# modules for the integration tests\n");
        for (String name : List.of("status", "location", "status-location", "cookies", "status-only", "no-blank-line",
                "no-content-type", "bad-status", "trap", "exit0", "exit1", "stream", "midfail", "latefail", "stderr",
                "split-headers", "changing", "status-100", "status-101", "short-content-length", "long-content-length",
                "late-short-content-length")) {
            text.append("[[module]]\nroute = \"/").append(name).append("\"\nmodule = \"wasm/").append(name).append(".wasm\"\n\n");
        }
        text.append("""
                [[module]]
                route = "/crlf"
                module = "%s"

                [[module]]
                route = "/big-body"
                module = "%s"

                [[module]]
                route = "/multi/hello"
                module = "wasm/multi.wasm"
                entrypoint = "hello"

                [[module]]
                route = "/multi/goodbye"
                module = "wasm/multi.wasm"
                entrypoint = "goodbye"

                [[module]]
                route = "/multi/nope"
                module = "wasm/multi.wasm"
                entrypoint = "nope"

                [[module]]
                route = "/rust/..."
                module = "wasm/rust-env.wasm"
                argv = "${SCRIPT_NAME} extra ${ARGS}"

                [[module]]
                route = "/env/special"
                module = "wasm/status.wasm"
                """.formatted(TestWebapps.module("crlf").toUri(), TestWebapps.module("big-body").toAbsolutePath()));
        Files.writeString(toml, text);

        Path app = TestWebapps.webapp(work.resolve("app"), """
                  <filter><filter-name>auth</filter-name><filter-class>dev.wagiservlet.it.HeaderAuthFilter</filter-class></filter>
                  <filter-mapping><filter-name>auth</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                """, List.of(
                new String[] {"routes.hello.route", "/hello"},
                new String[] {"routes.hello.module", TestWebapps.module("hello").toString()},
                new String[] {"routes.env.route", "/env/..."},
                new String[] {"routes.env.module", "file:" + TestWebapps.module("env")}),
                """
                  <servlet><servlet-name>plain</servlet-name><servlet-class>dev.wagiservlet.it.PlainServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>plain</servlet-name><url-pattern>/plain/*</url-pattern></servlet-mapping>
                """);
        TestWebapps.addLibrary(app);
        if ("wasmtime".equals(engine())) {
            TestWebapps.addWasmtime(app);
        }
        TestWebapps.addClass(app, PlainServlet.class);
        TestWebapps.addClass(app, HeaderAuthFilter.class);
        TestWebapps.addClass(app, Class.forName(HeaderAuthFilter.class.getName() + "$1"));
        Files.writeString(app.resolve("static.txt"), "a static file\n");

        ServletContainer starting = newContainer()
                .deploy("/wagi", TestWebapps.war())
                .deploy("/app", app)
                .env("WAGI_MODULES_TOML", toml.toString());
        if (engine() != null) {
            starting.env("WAGI_ENGINE", engine());
        }
        container = starting.start();
    }

    // --- the demo modules of the WAR ---------------------------------------------------------

    @Test
    void helloAnswersFromTheWar() throws Exception {
        HttpResponse<String> response = get("/wagi/hello");
        assertEquals(200, response.statusCode());
        assertEquals("Hello, world!\n", response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
    }

    @Test
    void everyRouteIsCompiledAtStartupAndTimed() {
        String log = container.log();
        for (String route : List.of("/hello", "/echo", "/env/...", "/multi/hello", "/rust/...")) {
            assertTrue(log.matches("(?s).*Route " + Pattern.quote(route) + " -> \\S+ \\(\\d+ bytes\\), ready (on \\w+ )?in \\d+ ms.*"),
                    "no startup line for " + route);
        }
        // the /app filter's own routes (from its web.xml, by their host paths), and its summary line
        // beside the WAR's: /app reads WAGI_MODULES_TOML too (it has no MicroProfile Config, so the
        // filter reads the environment itself)
        assertTrue(log.contains("Route /hello -> " + TestWebapps.module("hello") + " ("), "the /app filter's /hello");
        assertTrue(log.contains("Route /env/... -> " + TestWebapps.module("env") + " ("), "the /app filter's /env/...");
        assertTrue(Pattern.compile("WAGI filter 'wagi' serves \\d+ route\\(s\\)").matcher(log).results().count() >= 2,
                "a summary line for each webapp");
        if (engine() != null) { // every route of both webapps runs on it
            assertFalse(log.contains("ready on chicory"), "no route on Chicory");
            assertTrue(Pattern.compile("ready on " + engine() + " in").matcher(log).results().count() >= 30, "the routes on " + engine());
        }
    }

    @Test
    void echoReturnsABinaryBodyByteForByte() throws Exception {
        byte[] body = new byte[300_000];
        new Random(42).nextBytes(body);
        for (int i = 0; i < 256; i++) {
            body[i] = (byte) i;
        }
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri("/wagi/echo"))
                .header("Content-Type", "application/x-test")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/x-test", response.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(body, response.body());
    }

    @Test
    void environmentFollowsTheWagiContract() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/wagi/env/some%20path/x?x=1&y=two+words"))
                .header("X-Test", "a")
                .header("X-Test", "b")
                .header("Authorization", "Basic c2VjcmV0OnNlY3JldA==")
                .header("Proxy", "http://evil.example:1234")
                .header("Script-Name", "/spoofed")
                .header("Content_Length", "999")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        Map<String, String> env = env(response.body());
        List<String> argv = argv(response.body());
        int port = container.port();

        assertEquals("GET", env.get("REQUEST_METHOD"));
        assertEquals("/wagi/env", env.get("SCRIPT_NAME"));
        assertEquals("/some path/x", env.get("PATH_INFO"));
        assertEquals("/some path/x", env.get("PATH_TRANSLATED"));
        assertEquals("/some%20path/x", env.get("X_RAW_PATH_INFO"));
        assertEquals("/env/...", env.get("X_MATCHED_ROUTE"));
        assertEquals("x=1&y=two+words", env.get("QUERY_STRING"));
        assertEquals("http://127.0.0.1:" + port + "/wagi/env/some%20path/x?x=1&y=two+words", env.get("X_FULL_URL"));
        assertEquals("127.0.0.1", env.get("SERVER_NAME"));
        assertEquals(Integer.toString(port), env.get("SERVER_PORT"));
        assertEquals("HTTP/1.1", env.get("SERVER_PROTOCOL"));
        assertEquals("WAGI/1", env.get("SERVER_SOFTWARE"));
        assertEquals("CGI/1.1", env.get("GATEWAY_INTERFACE"));
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertEquals("127.0.0.1", env.get("REMOTE_HOST"));
        assertEquals("", env.get("REMOTE_USER"));
        assertEquals("", env.get("AUTH_TYPE"));
        assertEquals("", env.get("CONTENT_TYPE"));
        assertEquals("0", env.get("CONTENT_LENGTH"));
        assertEquals("a, b", env.get("HTTP_X_TEST"));
        assertEquals("/spoofed", env.get("HTTP_SCRIPT_NAME"));
        assertEquals("0", env.get("CONTENT_LENGTH"));
        assertFalse(env.containsValue("999"), "a header named with '_' is dropped, so it cannot pose as another: " + env);
        assertEquals("127.0.0.1:" + port, env.get("HTTP_HOST"));
        assertFalse(env.containsKey("HTTP_AUTHORIZATION"), "Authorization must not reach the module");
        assertFalse(env.containsKey("HTTP_PROXY"), "Proxy must not reach the module (httpoxy)");
        assertFalse(env.containsKey("HTTP_CONNECTION"), "Connection must not reach the module");
        for (String host : List.of("PATH", "HOME", "JAVA_HOME", "CATALINA_HOME", "WAGI_MODULES_TOML")) {
            assertFalse(env.containsKey(host), host + " leaked from the host environment");
        }
        assertEquals(List.of("/wagi/env/some%20path/x", "x=1", "y=two+words"), argv);
        assertEquals("body_len=0", Wire.lastLine(response.body()));
    }

    @Test
    void proxyCredentialsAndHopByHopHeadersNeverReachTheModule() throws Exception {
        // HttpClient refuses to send most of these, so the request goes on a raw socket. Jetty answers 400
        // to an Upgrade that the Connection header does not name (RFC 9110, 7.8), so it names it.
        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /wagi/env/hop HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Proxy-Authorization: Basic c2VjcmV0OnNlY3JldA==\r\n"
                    + "TE: trailers\r\nUpgrade: websocket\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n"
                    + "Trailer: X-Checksum\r\nTransfer-Encoding: chunked\r\nX-Kept: yes\r\nConnection: close, Upgrade\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n").getBytes(UTF_8));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            Map<String, String> env = env(response.substring(response.indexOf("\r\n\r\n") + 4));
            assertEquals("yes", env.get("HTTP_X_KEPT"), response);
            for (String withheld : List.of("HTTP_PROXY_AUTHORIZATION", "HTTP_TE", "HTTP_UPGRADE", "HTTP_KEEP_ALIVE",
                    "HTTP_PROXY_CONNECTION", "HTTP_TRAILER", "HTTP_TRANSFER_ENCODING", "HTTP_CONNECTION")) {
                assertFalse(env.containsKey(withheld), withheld + " reached the module: " + env);
            }
            assertFalse(env.containsKey("CONTENT_LENGTH"), "a chunked body still has no CONTENT_LENGTH: " + env);
            assertTrue(response.contains("body_len=5\n"), response);
        }
    }

    @Test
    void postBodyAndContentTypeReachTheModule() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/wagi/env/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> env = env(response.body());
        assertEquals("POST", env.get("REQUEST_METHOD"));
        assertEquals("application/json", env.get("CONTENT_TYPE"));
        assertEquals("7", env.get("CONTENT_LENGTH"));
        assertEquals("/", env.get("PATH_INFO"));
        assertEquals(List.of("/wagi/env/"), argv(response.body()));
        assertEquals("body_len=7", Wire.lastLine(response.body()));
    }

    @Test
    void landingPageListsTheMountedRoutes() throws Exception {
        HttpResponse<String> response = get("/wagi/");
        assertEquals(200, response.statusCode());
        for (String route : List.of("/hello", "/echo", "/env/...", "/multi/goodbye", "/rust/...")) {
            assertTrue(response.body().contains(">" + route + "<"), "landing page lacks " + route + ":\n" + response.body());
        }
        // a GET route is a link; /echo (POST, PUT) shows its methods and a curl command instead of a link that would 405
        assertTrue(response.body().contains("<a href=\"/wagi/hello\">/hello</a>"), response.body());
        assertFalse(response.body().contains("href=\"/wagi/echo\""), response.body());
        assertTrue(response.body().contains("<td>POST, PUT</td>"), response.body());
        assertTrue(response.body().contains("<code>curl --data-binary 'hello' 'http://"), response.body());
        assertEquals(405, get("/wagi/echo").statusCode(), "what a link would have done");
    }

    // --- routing -------------------------------------------------------------------------------

    /** As the README's routing section says: an encoded slash never reaches a route; the container answers 400 itself. */
    @Test
    void anEncodedSlashInThePathIsTheContainersOwn400() throws Exception {
        assertEquals(400, get("/wagi/env/a%2Fb").statusCode());
        assertEquals(200, get("/wagi/env/a?x=a%2Fb").statusCode(), "in the query string it is fine");
    }

    @Test
    void mostSpecificRouteWinsAcrossConfigSources() throws Exception {
        assertEquals(404, get("/wagi/env/special").statusCode(), "exact /env/special (modules.toml) beats /env/... (web.xml)");
        assertEquals(200, get("/wagi/env/specialist").statusCode());
    }

    @Test
    void unmatchedPathsGoOnToTheWebapp() throws Exception {
        HttpResponse<String> plain = get("/app/plain/thing");
        assertEquals(200, plain.statusCode());
        assertEquals("plain servlet saw /app/plain/thing", plain.body());
        assertEquals("a static file\n", get("/app/static.txt").body());
        assertEquals(404, get("/wagi/no-such-route").statusCode());
        assertEquals(404, get("/wagi/hellox").statusCode(), "exact routes do not match longer paths");
    }

    @Test
    void theLibraryServesModulesInAUsersOwnWebapp() throws Exception {
        assertEquals("Hello, world!\n", get("/app/hello").body());
        Map<String, String> env = env(get("/app/env/a/b?q").body());
        assertEquals("/app/env", env.get("SCRIPT_NAME"));
        assertEquals("/a/b", env.get("PATH_INFO"));
    }

    @Test
    void authenticatedUserReachesTheModule() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/app/env/me"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> env = env(response.body());
        assertEquals("alice", env.get("REMOTE_USER"));
        assertEquals("BASIC", env.get("AUTH_TYPE"));
        assertFalse(env.containsKey("HTTP_AUTHORIZATION"), "the credentials themselves never reach the module");
    }

    @Test
    void argvTemplateAndRustModule() throws Exception {
        HttpResponse<String> response = get("/wagi/rust/deep?one&two");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("hello from Rust\nREQUEST_METHOD=GET\n"), response.body());
        assertEquals(List.of("/wagi/rust/deep", "extra", "one", "two"), argv(response.body()));
    }

    @Test
    void entrypointsOfOneModule() throws Exception {
        assertEquals("hello entrypoint\n", get("/wagi/multi/hello").body());
        HttpResponse<String> goodbye = get("/wagi/multi/goodbye");
        assertEquals(404, goodbye.statusCode());
        assertEquals("goodbye entrypoint\n", goodbye.body());
        assertEquals(500, get("/wagi/multi/nope").statusCode());
        assertTrue(container.awaitLog("/multi/nope", Duration.ofSeconds(10)), "the log names the route with the missing entrypoint");
    }

    // --- the CGI response -----------------------------------------------------------------------

    @Test
    void statusHeaderSetsTheStatus() throws Exception {
        HttpResponse<String> response = get("/wagi/status");
        assertEquals(404, response.statusCode());
        assertEquals("not here\n", response.body());
        assertEquals(204, get("/wagi/status-only").statusCode());
    }

    @Test
    void locationRedirectsAndStatusWins() throws Exception {
        HttpResponse<String> location = get("/wagi/location");
        assertEquals(302, location.statusCode());
        assertEquals("http://example.com/elsewhere", location.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> created = get("/wagi/status-location");
        assertEquals(201, created.statusCode());
        assertEquals("http://example.com/created", created.headers().firstValue("Location").orElseThrow());
        assertEquals("created\n", created.body());
    }

    @Test
    void repeatedHeadersAreAllSent() throws Exception {
        HttpResponse<String> response = get("/wagi/cookies");
        assertEquals(List.of("a=1", "b=2"), response.headers().allValues("Set-Cookie"));
        assertEquals("yes", response.headers().firstValue("X-Custom").orElseThrow());
    }

    @Test
    void crlfHeadersAndByteExactBody() throws Exception {
        assertEquals("Oh hi world\r\n", get("/wagi/crlf").body());
        HttpResponse<String> split = get("/wagi/split-headers");
        assertEquals("1", split.headers().firstValue("X-A").orElseThrow());
        assertEquals("body", split.body());
    }

    @Test
    void largeBodyArrivesWhole() throws Exception {
        byte[] body = http.send(HttpRequest.newBuilder(uri("/wagi/big-body")).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        assertEquals(1 << 20, body.length);
        for (int i = 0; i < body.length; i++) {
            if (body[i] != (byte) (i % 251)) {
                throw new AssertionError("byte " + i + " is " + body[i]);
            }
        }
    }

    @Test
    void malformedCgiOutputGivesWagisErrors() throws Exception {
        HttpResponse<String> noBlankLine = get("/wagi/no-blank-line");
        assertEquals(500, noBlankLine.statusCode());
        assertEquals("Exactly one of 'location' or 'content-type' must be specified", noBlankLine.body());
        HttpResponse<String> noContentType = get("/wagi/no-content-type");
        assertEquals(500, noContentType.statusCode());
        assertEquals("Exactly one of 'location' or 'content-type' must be specified", noContentType.body());
        assertEquals(502, get("/wagi/bad-status").statusCode());
    }

    // --- failures ----------------------------------------------------------------------------------

    @Test
    void trapAndNonZeroExitAre500AndLogged() throws Exception {
        assertEquals(500, get("/wagi/trap").statusCode());
        assertTrue(container.awaitLog("[/trap]", Duration.ofSeconds(10)), "the log names the trapping route");
        assertEquals(500, get("/wagi/exit1").statusCode());
        assertTrue(container.awaitLog("[/exit1] exiting with 1", Duration.ofSeconds(10)), "stderr reaches the log with the route");
        assertEquals(200, get("/wagi/hello").statusCode(), "the next request is served normally");
    }

    @Test
    void procExitZeroIsSuccess() throws Exception {
        HttpResponse<String> response = get("/wagi/exit0");
        assertEquals(200, response.statusCode());
        assertEquals("exit zero\n", response.body());
    }

    @Test
    void stderrGoesToTheContainerLog() throws Exception {
        assertEquals("logged\n", get("/wagi/stderr").body());
        assertTrue(container.awaitLog("[/stderr] stderr line from module", Duration.ofSeconds(10)), container.log());
    }

    @Test
    void aFailureWhileTheOutputIsStillHeldIsAClean500() throws Exception {
        HttpResponse<String> response = get("/wagi/midfail"); // wrote its head and part of a body, then trapped at once
        assertEquals(500, response.statusCode());
        assertEquals("Internal Server Error", response.body(), "nothing of the module's partial output");
        assertTrue(container.awaitLog("[/midfail] 500", Duration.ofSeconds(10)), container.logTail());
    }

    @Test
    void failureAfterCommitAbortsTheConnection() {
        IOException e = assertThrows(IOException.class, () -> http.send(
                HttpRequest.newBuilder(uri("/wagi/latefail")).build(), HttpResponse.BodyHandlers.ofString()));
        assertTrue(container.awaitLog("[/latefail] the module failed after the response was committed", Duration.ofSeconds(10)),
                "the log names the route: " + e);
    }

    @Test
    void aQuickRunIsSentInOnePieceWithItsLength() throws Exception {
        // a run that ends within the 20 ms hold is one piece; on a busy machine one may not (then it streams, chunked), so
        // of a few runs at least one must be quick
        HttpResponse<String> response = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            response = get("/wagi/hello");
            assertEquals("Hello, world!\n", response.body());
            if (response.headers().firstValue("Content-Length").isPresent()) {
                break;
            }
        }
        assertEquals(Optional.of("14"), response.headers().firstValue("Content-Length"), response.headers().toString());
        assertEquals(Optional.empty(), response.headers().firstValue("Transfer-Encoding"));
    }

    // --- framing on a keep-alive connection ----------------------------------------------------------

    @Test
    void informationalStatusIs502AndTheConnectionStaysInStep() throws Exception {
        assertEquals(502, badThenHello("GET", "/wagi/status-100").status());
        assertEquals(502, badThenHello("GET", "/wagi/status-101").status());
    }

    @Test
    void aBodyShorterThanItsContentLengthIs502WhileHeld() throws Exception {
        Wire.Response first = badThenHello("GET", "/wagi/short-content-length");
        assertEquals(502, first.status());
        assertEquals("Bad Gateway", first.text(), "nothing of the module's partial output");
    }

    @Test
    void aBodyLongerThanItsContentLengthIs502() throws Exception {
        Wire.Response first = badThenHello("GET", "/wagi/long-content-length");
        assertEquals(502, first.status());
        assertEquals("Bad Gateway", first.text());
    }

    @Test
    void aBodyFoundShortAfterCommitAbortsTheConnection() throws Exception {
        assertNull(badThenHello("GET", "/wagi/late-short-content-length"), "the first response cannot be read whole");
        assertTrue(container.awaitLog("[/late-short-content-length] the module failed after the response was committed; "
                + "aborting the connection: the module wrote 987 bytes less than its Content-Length declares", Duration.ofSeconds(10)),
                container.logTail());
    }

    @Test
    void headKeepsTheModulesContentLength() throws Exception {
        Wire.Response shortHead = badThenHello("HEAD", "/wagi/short-content-length");
        assertEquals(200, shortHead.status());
        assertEquals("1000", shortHead.header("Content-Length"), "as a GET would declare it");
        Wire.Response longHead = badThenHello("HEAD", "/wagi/long-content-length");
        assertEquals(200, longHead.status());
        assertEquals("3", longHead.header("Content-Length"));
    }

    /**
     * Sends a request that a module may answer with bad framing, then GET /wagi/hello, on one
     * keep-alive connection, and checks that the connection did not fall out of step: the first
     * response is whole and the second is hello's, or the connection was closed within the first
     * (then hello is asked again on a new connection). A client that took the module's framing at
     * its word would read hello's response as the rest of the first body, or wait for bytes that
     * never come.
     *
     * @return the first response, or null if the connection closed within it
     */
    private Wire.Response badThenHello(String method, String path) throws Exception {
        String hello = "GET /wagi/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(UTF_8));
            out.flush();
            Wire.Response first;
            try {
                first = Wire.readResponse(in, method.equals("HEAD"));
            } catch (SocketTimeoutException e) {
                throw new AssertionError(method + " " + path + ": the response's framing promised bytes that never came", e);
            } catch (IOException closed) {
                assertHelloOnANewConnection();
                return null;
            }
            assertTrue(first.status() >= 200, method + " " + path + " got " + first.status() + " as its final response");
            out.write(hello.getBytes(UTF_8));
            out.flush();
            Wire.Response second;
            try {
                second = Wire.readResponse(in, false);
            } catch (SocketTimeoutException e) {
                throw new AssertionError(method + " " + path + ": no response to the next request on the connection", e);
            } catch (EOFException closed) {
                assertHelloOnANewConnection(); // closed after a whole response: in step too
                return first;
            }
            assertEquals(200, second.status(), () -> "the connection is out of step after " + method + " " + path + ": " + second.text());
            assertEquals("Hello, world!\n", second.text());
            return first;
        }
    }

    private void assertHelloOnANewConnection() throws Exception {
        assertEquals("Hello, world!\n", get("/wagi/hello").body());
    }

    // --- streaming ---------------------------------------------------------------------------------

    @Test
    void firstChunkReachesTheClientWhileTheModuleStillRuns() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /wagi/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n5\r\nhello\r\n").getBytes(UTF_8));
            out.flush();
            // The module is now blocked reading the rest of the body; its first chunk must be here already.
            String head = Wire.readUntil(in, "first\n");
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            out.write("0\r\n\r\n".getBytes(UTF_8));
            out.flush();
            Wire.readUntil(in, "last\n");
        }
    }

    // --- hot reload of a changed module file ---------------------------------------------------------

    @Test
    void aChangedModuleIsRecompiledOnItsNextUse() throws Exception {
        Path changing = toml.resolveSibling("wasm/changing.wasm");
        assertEquals("Hello, world!\n", get("/wagi/changing").body());
        Files.copy(TestWebapps.module("status"), changing, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(changing, FileTime.from(Instant.now().plusSeconds(5)));
        HttpResponse<String> changed = get("/wagi/changing");
        assertEquals(404, changed.statusCode());
        assertEquals("not here\n", changed.body());
    }

    // --- helpers -------------------------------------------------------------------------------------

    private URI uri(String path) {
        return container.uri(path);
    }

    @Override
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The NAME=value lines the env module prints (argv and body_len lines excluded). */
    static Map<String, String> env(String body) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("argv[") && !line.startsWith("body_len=")) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    /** The argv[i]=value lines, in order. */
    static List<String> argv(String body) {
        List<String> argv = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("argv[")) {
                argv.add(line.substring(line.indexOf('=') + 1));
            }
        }
        return argv;
    }
}
