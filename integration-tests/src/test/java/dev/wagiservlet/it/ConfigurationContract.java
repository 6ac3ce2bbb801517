package dev.wagiservlet.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.wagiservlet.it.support.ServletContainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration in a real container: environment variables (MicroProfile Config) configuring an
 * unchanged WAR, every modules.toml feature (per-route environment, methods, hosts, _routes, http
 * module sources with sha256), class path modules in a user's webapp, the health route, and hot
 * reload of the modules.toml.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConfigurationContract {

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger downloads = new AtomicInteger();
    private HttpServer moduleServer;
    private ServletContainer container;
    private Path toml;
    private String originalToml;
    private Path data;
    private Path secret;

    abstract ServletContainer newContainer();

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        byte[] echo = Files.readAllBytes(TestWebapps.module("echo"));
        moduleServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        moduleServer.createContext("/modules/echo.wasm", exchange -> {
            downloads.incrementAndGet();
            exchange.sendResponseHeaders(200, echo.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(echo);
            }
        });
        moduleServer.start();
        String echoUrl = "http://127.0.0.1:" + moduleServer.getAddress().getPort() + "/modules/echo.wasm";
        String echoHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(echo));

        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "hello", "env", "multi", "dynamic-routes", "files", "routes-loop");
        data = Files.createDirectories(modules.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "inside");
        secret = Files.writeString(modules.resolve("secret.txt"), "SECRET");
        Files.createSymbolicLink(data.resolve("out"), Path.of("../secret.txt"));
        toml = modules.resolve("modules.toml");
        originalToml = """
                [[module]]
                route = "/post-only"
                module = "wasm/hello.wasm"
                methods = ["POST"]

                [[module]]
                route = "/vhost"
                module = "wasm/hello.wasm"
                hosts = ["localhost"]

                [[module]]
                route = "/dyn/..."
                module = "wasm/multi.wasm"

                [[module]]
                route = "/go"
                module = "%s"

                [[module]]
                route = "/files/ro"
                module = "wasm/files.wasm"
                volumes = { "/data" = "data" }

                [[module]]
                route = "/files/rw"
                module = "wasm/files.wasm"
                volumes = { "/data" = "data" }
                writable_volumes = ["/data"]

                [[module]]
                route = "/exactparent"
                module = "wasm/dynamic-routes.wasm"

                [[module]]
                route = "/wildcardparent/..."
                module = "wasm/dynamic-routes.wasm"

                [[module]]
                route = "/withenv/..."
                module = "wasm/env.wasm"
                environment = { GREETING = "hi there", SCRIPT_NAME = "spoofed" }

                [[module]]
                route = "/remote"
                module = "%s"
                sha256 = "%s"
                """.formatted(goModule(), echoUrl, echoHash);
        Files.writeString(toml, originalToml);

        Path app = TestWebapps.webapp(work.resolve("app"), List.of(
                new String[] {"routes.cp.route", "/cp"},
                new String[] {"routes.cp.module", "classpath:wasm/hello.wasm"}), "");
        TestWebapps.addLibrary(app);
        Files.createDirectories(app.resolve("WEB-INF/classes/wasm"));
        Files.copy(TestWebapps.module("hello"), app.resolve("WEB-INF/classes/wasm/hello.wasm"));

        container = newContainer()
                .deploy("/wagi", TestWebapps.war())
                .deploy("/app", app)
                .env("WAGI_MODULES_TOML", toml.toString())
                .env("WAGI_RELOAD_INTERVAL", "300ms")
                .env("WAGI_HEALTH_ROUTE", "/healthz")
                .env("WAGI_BACKGROUND_COMPILE_SIZE", "1MiB")
                .env("WAGI_ENVIRONMENT_GLOBAL_ONE", "g1")
                .env("WAGI_ROUTES_FROMENV_ROUTE", "/from-env")
                .env("WAGI_ROUTES_FROMENV_MODULE", TestWebapps.module("hello").toString())
                .start();
    }

    @AfterAll
    void stop() {
        if (container != null) {
            container.close();
        }
        if (moduleServer != null) {
            moduleServer.stop(0);
        }
    }

    @Test
    void environmentVariablesConfigureAnUnchangedWar() throws Exception {
        assertEquals("Hello, world!\n", get("/wagi/from-env").body());
        assertEquals(200, get("/wagi/hello").statusCode(), "the WAR's own web.xml routes stay");
    }

    @Test
    void perRouteAndGlobalEnvironmentWithCgiVariablesWinning() throws Exception {
        Map<String, String> env = WagiFilterContract.env(get("/wagi/withenv/x").body());
        assertEquals("hi there", env.get("GREETING"));
        assertEquals("g1", env.get("GLOBAL_ONE"));
        assertEquals("/wagi/withenv", env.get("SCRIPT_NAME"), "a CGI variable cannot be overridden by configuration");
    }

    @Test
    void methodsNotListedGet405WithAllow() throws Exception {
        HttpResponse<String> get = get("/wagi/post-only");
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(container.uri("/wagi/post-only"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, post.statusCode());
        assertEquals("Hello, world!\n", post.body());
    }

    @Test
    void routesLimitedToAHostServeOnlyThatHost() throws Exception {
        assertTrue(rawGet("/wagi/vhost", "localhost:" + container.port()).startsWith("HTTP/1.1 200"));
        assertTrue(rawGet("/wagi/vhost", "LOCALHOST").startsWith("HTTP/1.1 200"), "host names are case-insensitive");
        assertTrue(rawGet("/wagi/vhost", "127.0.0.1:" + container.port()).startsWith("HTTP/1.1 404"));
    }

    @Test
    void routesDeclaredByTheModuleThroughUnderscoreRoutes() throws Exception {
        assertEquals("hello entrypoint\n", get("/wagi/dyn/hello").body());
        HttpResponse<String> goodbye = get("/wagi/dyn/goodbye");
        assertEquals(404, goodbye.statusCode());
        assertEquals("goodbye entrypoint\n", goodbye.body());
        assertEquals("main entrypoint\n", get("/wagi/dyn/anything/else").body());
        assertTrue(get("/wagi/").body().contains(">/dyn/goodbye<"), "the landing page lists declared routes");
    }

    @Test
    void subRoutesGetTheReferencesPathVariables() throws Exception {
        assertHandler("/wagi/wildcardparent/fizz/buzz", "This is the main entry point",
                "/wagi/wildcardparent", "/fizz/buzz", "/wildcardparent/...", "/fizz/buzz");
        assertHandler("/wagi/wildcardparent/exact", "This is the .../exact handler",
                "/wagi/wildcardparent/exact", "", "/wildcardparent/exact", "");
        assertHandler("/wagi/wildcardparent/wildcard/a%20b/c", "This is the .../wildcard/... handler",
                "/wagi/wildcardparent/wildcard", "/a b/c", "/wildcardparent/wildcard/...", "/a%20b/c");
        assertHandler("/wagi/exactparent", "This is the main entry point", "/wagi/exactparent", "", "/exactparent", "");
        assertHandler("/wagi/exactparent/exact", "This is the .../exact handler",
                "/wagi/exactparent/exact", "", "/exactparent/exact", "");
    }

    private void assertHandler(String path, String handler, String scriptName, String pathInfo, String matchedRoute,
            String rawPathInfo) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), path);
        assertEquals(handler, response.body().lines().findFirst().orElseThrow(), path);
        Map<String, String> env = WagiFilterContract.env(response.body());
        assertEquals(scriptName, env.get("SCRIPT_NAME"), path);
        assertEquals(pathInfo, env.get("PATH_INFO"), path);
        assertEquals(matchedRoute, env.get("X_MATCHED_ROUTE"), path);
        assertEquals(rawPathInfo, env.get("X_RAW_PATH_INFO"), path);
    }

    @Test
    void volumesAreReadOnlyUnlessWritableAndConfined() throws Exception {
        assertEquals("ok inside", Wire.lastLine(get("/wagi/files/ro?op=read&path=/data/a.txt").body()));
        assertTrue(Wire.lastLine(get("/wagi/files/ro?op=write&path=/data/new.txt&text=x").body()).startsWith("err 69"), "EROFS");
        assertTrue(Files.notExists(data.resolve("new.txt")));
        assertTrue(Wire.lastLine(get("/wagi/files/ro?op=read&path=/data/../secret.txt").body()).startsWith("err "));
        assertTrue(Wire.lastLine(get("/wagi/files/ro?op=read&path=/data/out").body()).startsWith("err "), "a symlink out of the volume");
        assertTrue(Wire.lastLine(get("/wagi/files/rw?op=read&path=/data/out").body()).startsWith("err "));
        assertTrue(Wire.lastLine(get("/wagi/files/rw?op=write&path=/data/out&text=pwned").body()).startsWith("err "));
        assertEquals("SECRET", Files.readString(secret), "nothing outside the volume changed");
        assertEquals("ok", Wire.lastLine(get("/wagi/files/rw?op=write&path=/data/new.txt&text=hello").body()));
        assertEquals("hello", Files.readString(data.resolve("new.txt")));
    }

    /** The Go example (2.3 MB) is over background-compile-size: the webapp serves before it is compiled. */
    private static Path goModule() {
        return TestWebapps.module("hello").getParent().resolve("../../examples/go/hello.wasm").normalize();
    }

    @Test
    void aBigModuleCompilesInTheBackgroundWhileTheOtherRoutesServe() throws Exception {
        assertTrue(container.awaitLog("Route /go -> " + goModule(), Duration.ofSeconds(10)));
        assertTrue(container.log().contains("compiling in the background"), "the startup log says so");
        assertTrue(eventually(() -> get("/wagi/go").statusCode() == 200), "the route answers once compiled");
        assertTrue(get("/wagi/go").body().contains("Go"), get("/wagi/go").body());
        String log = container.log();
        Matcher war = Pattern.compile("WAGI filter 'wagi' serves (\\d{2,}) route").matcher(log);
        int started = war.find() ? war.start() : -1; // the WAR's filter (the /app webapp's serves 1 route)
        int compiled = log.indexOf("Compiled " + goModule());
        assertTrue(started >= 0 && compiled >= 0, "both lines are logged");
        assertTrue(started < compiled, "the webapp started serving before the big module was compiled");
    }

    @Test
    void healthRoute() throws Exception {
        HttpResponse<String> response = get("/wagi/healthz");
        assertEquals(200, response.statusCode());
        assertEquals("OK", response.body());
    }

    @Test
    void moduleDownloadedOnceFromAnHttpUrlAndVerified() throws Exception {
        byte[] body = "ping".getBytes(UTF_8);
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(container.uri("/wagi/remote"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertEquals("ping", new String(response.body(), UTF_8));
        }
        // once for the WAR and once for /app, each into its own temp dir: /app, without MicroProfile
        // Config, reads the same WAGI_* variables itself
        assertEquals(2, downloads.get(), "downloaded once per webapp, at deployment");
        assertTrue(container.log().contains("Downloaded http://127.0.0.1:" + moduleServer.getAddress().getPort()));
    }

    @Test
    void classpathModuleInAUsersWebapp() throws Exception {
        assertEquals("Hello, world!\n", get("/app/cp").body());
    }

    @Test
    void changedModulesTomlReroutesAndAFailedReloadKeepsTheLastGoodRoutes() throws Exception {
        try {
            assertEquals(404, get("/wagi/added").statusCode());
            rewriteToml(originalToml + "\n[[module]]\nroute = \"/added\"\nmodule = \"wasm/hello.wasm\"\n");
            assertTrue(eventually(() -> get("/wagi/added").statusCode() == 200), "the new route is served after a reload");

            rewriteToml("[[module]]\nroute = \"/broken\"\nmodule = \n");
            assertTrue(container.awaitLog("failed; the routes that were serving stay", Duration.ofSeconds(15)), container.log());
            assertEquals(200, get("/wagi/added").statusCode(), "a failed reload keeps the last good routes");
            assertEquals(200, get("/wagi/dyn/hello").statusCode());
        } finally {
            rewriteToml(originalToml);
            assertTrue(eventually(() -> get("/wagi/added").statusCode() == 404), "the original routes are back");
        }
    }

    @Test
    void aReloadWhoseUnderscoreRoutesNeverReturnsFailsAtItsTimeoutAndLaterEditsArePickedUp() throws Exception {
        String timedOut = "routes-loop.wasm: _routes timed out after 2s (the route's timeout)";
        try {
            rewriteToml(originalToml + "\n[[module]]\nroute = \"/looping/...\"\nmodule = \"wasm/routes-loop.wasm\"\ntimeout = \"2s\"\n");
            assertTrue(container.awaitLog(timedOut, Duration.ofSeconds(20)), container.log());
            assertTrue(container.log().lines().anyMatch(line -> line.contains(timedOut) && line.contains("Reloading " + toml)
                    && line.contains("failed; the routes that were serving stay")), "the failed reload is logged: " + container.log());
            assertEquals("hello entrypoint\n", get("/wagi/dyn/hello").body(), "the last good routes keep serving");
            assertEquals(404, get("/wagi/looping/x").statusCode());

            rewriteToml(originalToml + "\n[[module]]\nroute = \"/added-later\"\nmodule = \"wasm/hello.wasm\"\n");
            assertTrue(eventually(() -> get("/wagi/added-later").statusCode() == 200), "the watcher picks up a later good edit");
        } finally {
            rewriteToml(originalToml);
            assertTrue(eventually(() -> get("/wagi/added-later").statusCode() == 404), "the original routes are back");
        }
    }

    private void rewriteToml(String text) throws IOException {
        Path next = toml.resolveSibling("next.toml");
        Files.writeString(next, text);
        Files.setLastModifiedTime(next, FileTime.from(Instant.now().plusMillis(Math.abs(text.hashCode() % 10_000) + 1000)));
        Files.move(next, toml, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static boolean eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(container.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with a Host header of our choice (java.net.http does not let a caller set Host). */
    private String rawGet(String path, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(UTF_8);
        }
    }
}
