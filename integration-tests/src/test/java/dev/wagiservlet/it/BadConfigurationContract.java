package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad configuration fails its webapp's deployment, with one log line naming the key and the
 * file, and leaves the container and its other webapps serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadConfigurationContract {

    private final HttpClient http = HttpClient.newHttpClient();
    private ServletContainer container;
    private Path brokenToml;
    private Path missingModule;
    private Path watModule;
    private Path routesLoopToml;
    private Path routesFloodToml;

    abstract ServletContainer newContainer();

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        missingModule = work.resolve("nowhere/missing.wasm");
        Path missing = webapp(work.resolve("missing"), List.of(
                new String[] {"routes.gone.route", "/gone"},
                new String[] {"routes.gone.module", missingModule.toString()}));
        Path badRoute = webapp(work.resolve("badroute"), List.of(
                new String[] {"routes.oops.route", "no-leading-slash"},
                new String[] {"routes.oops.module", TestWebapps.module("hello").toString()}));
        brokenToml = work.resolve("broken.toml");
        Files.writeString(brokenToml, "[[module]]\nroute = \"/x\"\nmodule = \n");
        Path badToml = webapp(work.resolve("badtoml"), List.<String[]>of(new String[] {"modules-toml", brokenToml.toString()}));
        Path garbage = webapp(work.resolve("garbage"), List.of(
                new String[] {"routes.junk.route", "/junk"},
                new String[] {"routes.junk.module", TestWebapps.module("garbage").toString()}));
        Path badRoutes = webapp(work.resolve("badroutes"), List.of(
                new String[] {"routes.dyn.route", "/dyn/..."},
                new String[] {"routes.dyn.module", TestWebapps.module("bad-routes").toString()}));
        Path unreachable = webapp(work.resolve("unreachable"), List.of(
                new String[] {"routes.far.route", "/far"},
                new String[] {"routes.far.module", "http://127.0.0.1:1/far.wasm"}));
        Path bindle = webapp(work.resolve("bindle"), List.of(
                new String[] {"routes.b.route", "/b"},
                new String[] {"routes.b.module", "bindle:example.com/hello/1.0.0"}));
        routesLoopToml = routesToml(work.resolve("routes-loop"), "routes-loop");
        Path routesLoop = webapp(work.resolve("routesloop"), List.<String[]>of(new String[] {"modules-toml", routesLoopToml.toString()}));
        routesFloodToml = routesToml(work.resolve("routes-flood"), "routes-flood");
        Path routesFlood = webapp(work.resolve("routesflood"), List.<String[]>of(new String[] {"modules-toml", routesFloodToml.toString()}));
        Path typo = webapp(work.resolve("typo"), List.<String[]>of(new String[] {"module-toml", "/x.toml"}));
        Path good = webapp(work.resolve("good"), List.of(
                new String[] {"routes.hello.route", "/hello"},
                new String[] {"routes.hello.module", TestWebapps.module("hello").toString()},
                new String[] {"routes.spin.route", "/spin"},
                new String[] {"routes.spin.module", TestWebapps.module("spin-config").toString()}));
        watModule = TestWebapps.module("trap").getParent().resolveSibling("wat").resolve("trap.wat");
        Path wat = webapp(work.resolve("wat"), List.of(
                new String[] {"routes.t.route", "/t"},
                new String[] {"routes.t.module", watModule.toString()}));
        Path legacy = webapp(work.resolve("legacy"), List.of(
                new String[] {"routes.l.route", "/l"},
                new String[] {"routes.l.module", TestWebapps.module("legacy-exceptions").toString()}));
        container = newContainer()
                .deploy("/missing", missing)
                .deploy("/badroute", badRoute)
                .deploy("/badtoml", badToml)
                .deploy("/typo", typo)
                .deploy("/garbage", garbage)
                .deploy("/badroutes", badRoutes)
                .deploy("/unreachable", unreachable)
                .deploy("/bindle", bindle)
                .deploy("/routesloop", routesLoop)
                .deploy("/routesflood", routesFlood)
                .deploy("/wat", wat)
                .deploy("/legacy", legacy)
                .deploy("/good", good)
                .start();
    }

    /** A modules.toml mounting the module at /dyn/... with a 2 s timeout, and a good route besides. */
    private static Path routesToml(Path dir, String module) throws IOException {
        TestWebapps.copyModules(dir, module, "hello");
        return Files.writeString(dir.resolve("modules.toml"), """
                [[module]]
                route = "/hello"
                module = "wasm/hello.wasm"

                [[module]]
                route = "/dyn/..."
                module = "wasm/%s.wasm"
                timeout = "2s"
                """.formatted(module));
    }

    private static Path webapp(Path dir, List<String[]> params) throws IOException {
        TestWebapps.webapp(dir, params, "");
        TestWebapps.addLibrary(dir);
        return dir;
    }

    @AfterAll
    void stop() {
        if (container != null) {
            container.close();
        }
    }

    @Test
    void missingModuleFileNamesTheKeyAndTheFile() throws Exception {
        assertLogged("web.xml filter 'wagi', route 'gone', key 'module': file not found: " + missingModule);
        assertNotServed("/missing/gone");
    }

    @Test
    void badRouteNamesTheKey() throws Exception {
        assertLogged("web.xml filter 'wagi', init-param 'routes.oops.route': a route must start with '/': 'no-leading-slash'");
        assertNotServed("/badroute/no-leading-slash");
    }

    @Test
    void unparseableTomlNamesTheFileAndLine() throws Exception {
        assertLogged(brokenToml + ": not valid TOML");
        assertNotServed("/badtoml/x");
    }

    @Test
    void aTextFormatModuleSaysHowToCompileIt() throws Exception {
        String stem = watModule.toString().substring(0, watModule.toString().length() - ".wat".length());
        assertLogged(watModule + " is in the WebAssembly text format (.wat), not the binary format (.wasm): compile it first,"
                + " e.g. 'wat2wasm " + stem + ".wat -o " + stem + ".wasm' (wat2wasm is in Debian's package wabt)");
        assertNotServed("/wat/t");
    }

    @Test
    void legacyExceptionHandlingIsNamedAtDeployment() throws Exception {
        assertLogged(TestWebapps.module("legacy-exceptions") + " uses legacy WebAssembly exception handling (the 'try' instruction");
        assertNotServed("/legacy/l");
    }

    /** Deployed, as a module without its entrypoint is, with a warning naming the import. */
    @Test
    void anImportTheHostLacksIsNamedAtDeployment() throws Exception {
        assertLogged("Route /spin: " + TestWebapps.module("spin-config") + " imports spin-config::get-config, which the host does not"
                + " provide; requests to it will fail with 500");
    }

    @Test
    void invalidModuleFailsTheDeployment() throws Exception {
        assertLogged("route 'junk', key 'module': " + TestWebapps.module("garbage") + " is not a valid WebAssembly module");
        assertNotServed("/garbage/junk");
    }

    @Test
    void brokenUnderscoreRoutesOutputNamesTheModuleAndTheLine() throws Exception {
        assertLogged(TestWebapps.module("bad-routes") + ": _routes line 1 must be '<route> <entrypoint>': '/only-a-route'");
        assertNotServed("/badroutes/dyn/x");
    }

    @Test
    void underscoreRoutesThatNeverReturnFailsTheDeploymentAtTheRoutesTimeout() throws Exception {
        assertLoggedWithOrigin("routes-loop.wasm: _routes timed out after 2s (the route's timeout)", routesLoopToml + ": [[module]] #2");
        assertNotServed("/routesloop/hello");
    }

    @Test
    void underscoreRoutesThatWritesWithoutEndFailsTheDeploymentAt1MiB() throws Exception {
        assertLoggedWithOrigin("routes-flood.wasm: _routes wrote more than 1048576 bytes (1 MiB) to stdout",
                routesFloodToml + ": [[module]] #2");
        assertNotServed("/routesflood/hello");
    }

    @Test
    void failedDownloadNamesTheUrl() throws Exception {
        assertLogged("route 'far', key 'module': cannot download http://127.0.0.1:1/far.wasm");
        assertNotServed("/unreachable/far");
    }

    @Test
    void bindleReferencesAreRefusedAsRetired() throws Exception {
        assertLogged("init-param 'routes.b.module': 'bindle:example.com/hello/1.0.0' is not supported: Bindle is retired");
    }

    @Test
    void unknownInitParamIsReported() throws Exception {
        assertLogged("web.xml filter 'wagi', init-param 'module-toml': unknown key");
    }

    @Test
    void otherWebappsKeepServing() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(container.uri("/good/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("Hello, world!\n", response.body());
    }

    private void assertLogged(String text) {
        assertTrue(container.awaitLog(text, Duration.ofSeconds(10)), "log lacks: " + text + "\n" + container.log());
    }

    /** The message is logged, on a line that also names where the route was configured. */
    private void assertLoggedWithOrigin(String message, String origin) {
        assertLogged(message);
        assertTrue(container.log().lines().anyMatch(line -> line.contains(message) && line.contains(origin)),
                "no line has both '" + message + "' and '" + origin + "'\n" + container.log());
    }

        private void assertNotServed(String path) throws Exception {
        int status = http.send(HttpRequest.newBuilder(container.uri(path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        assertNotEquals(200, status, path + " must not be served by a webapp that failed to deploy");
        assertTrue(status == 404 || status == 503, path + " gave " + status);
    }
}
