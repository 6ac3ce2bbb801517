package dev.wagiservlet.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagiservlet.it.support.ServletContainer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real container: off unless {@code status-route} is set; 401 with a Basic
 * challenge without credentials, 403 for a user without the role, and for a user in the role the
 * routes, their modules and compile state and the metrics of the requests they served, as JSON and
 * HTML. The webapp {@code /app} authenticates with a filter of its own (as Spring Security does);
 * the drop-in WAR at {@code /wagi} gets the status route from MicroProfile Config (a properties file
 * named by {@code SMALLRYE_CONFIG_LOCATIONS}, which only the WAR reads). The same
 * metrics are MXBeans in the server JVM's platform MBean server, where JConsole finds them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StatusPageContract {

    static final String ALICE = basic("alice", "secret");
    static final String BOB = basic("bob", "secret");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final ObjectMapper json = new ObjectMapper();
    ServletContainer container;
    Path work;

    abstract ServletContainer newContainer();

    /** More deployments for one container's own tests. */
    void deployMore(ServletContainer container, Path work) throws Exception {}

    /** The drop-in WAR as this container's tests deploy it. */
    Path war(Path work) throws Exception {
        return TestWebapps.war();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        this.work = work;
        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "hello", "trap", "loop", "interpreted");
        Path toml = Files.writeString(modules.resolve("modules.toml"), """
                [[module]]
                route = "/trap"
                module = "wasm/trap.wasm"
                """);
        Path app = TestWebapps.webapp(work.resolve("app"), """
                  <filter><filter-name>auth</filter-name><filter-class>dev.wagiservlet.it.RoleAuthFilter</filter-class></filter>
                  <filter-mapping><filter-name>auth</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                """, List.of(
                new String[] {"status-route", "/admin/status"},
                new String[] {"routes.hello.route", "/hello"},
                new String[] {"routes.hello.module", modules.resolve("wasm/hello.wasm").toString()},
                new String[] {"routes.hello.methods", "GET"},
                new String[] {"routes.trap.route", "/trap"},
                new String[] {"routes.trap.module", modules.resolve("wasm/trap.wasm").toString()},
                new String[] {"routes.loop.route", "/loop/..."},
                new String[] {"routes.loop.module", modules.resolve("wasm/loop.wasm").toString()},
                new String[] {"routes.loop.timeout", "300ms"},
                new String[] {"routes.interpreted.route", "/interpreted"},
                new String[] {"routes.interpreted.module", modules.resolve("wasm/interpreted.wasm").toString()}), """
                  <servlet><servlet-name>mbeans</servlet-name><servlet-class>dev.wagiservlet.it.MBeanProbeServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>mbeans</servlet-name><url-pattern>/mbeans</url-pattern></servlet-mapping>
                """);
        TestWebapps.addLibrary(app);
        TestWebapps.addClass(app, RoleAuthFilter.class);
        TestWebapps.addClass(app, RoleAuthFilter.Authenticated.class);
        TestWebapps.addClass(app, MBeanProbeServlet.class);
        container = newContainer()
                .deploy("/app", app)
                .deploy("/wagi", war(work))
                // the WAR's settings through SmallRye, which only the WAR has: WAGI_* variables would be
                // read by /app too (a library webapp reads the environment itself), and override its web.xml
                .env("SMALLRYE_CONFIG_LOCATIONS", Files.writeString(work.resolve("wagi.properties"),
                        "wagi.modules-toml=" + toml + "\nwagi.status-route=/wagi-status\n").toString());
        deployMore(container, work);
        container.start();

        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("/app/hello", null).statusCode());
        }
        assertEquals(405, send(HttpRequest.newBuilder(container.uri("/app/hello")).POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals(500, get("/app/trap", null).statusCode());
        assertEquals(504, get("/app/loop/forever", null).statusCode());
    }

    @AfterAll
    void stop() {
        if (container != null) {
            container.close();
        }
    }

    HttpResponse<String> get(String path, String authorization, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(container.uri(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode route(JsonNode status, String route) {
        for (JsonNode node : status.get("routes")) {
            if (node.get("route").asText().equals(route)) {
                return node;
            }
        }
        throw new AssertionError("no route " + route + " in " + status);
    }

    @Test
    void withoutCredentialsA401WithABasicChallenge() throws Exception {
        for (String path : List.of("/app/admin/status", "/wagi/wagi-status")) {
            HttpResponse<String> response = get(path, null);
            assertEquals(401, response.statusCode(), path);
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="), path);
            assertTrue(!response.body().contains("/hello"), "nothing of the routes leaks: " + response.body());
        }
    }

    @Test
    void aUserWithoutTheRoleGets403() throws Exception {
        HttpResponse<String> response = get("/app/admin/status", BOB);
        assertEquals(403, response.statusCode());
        assertTrue(response.body().contains("wagi-admin"), response.body());
    }

    @Test
    void jsonHasTheRoutesModulesCompileStateAndMetrics() throws Exception {
        HttpResponse<String> response = get("/app/admin/status", ALICE, "Accept", "application/json");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json;charset=utf-8",
                response.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase(Locale.ROOT));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
        JsonNode status = json.readTree(response.body());
        assertEquals("wagi", status.get("filter").asText());
        assertEquals("/app", status.get("webapp").asText());
        assertTrue(status.get("startupMillis").asLong() > 0);
        assertEquals(4, status.get("routes").size());

        JsonNode hello = route(status, "/hello");
        Path helloFile = work.resolve("modules/wasm/hello.wasm");
        assertEquals(helloFile.toString(), hello.get("module").asText());
        assertEquals(Files.size(helloFile), hello.get("moduleSize").asLong());
        assertEquals("_start", hello.get("entrypoint").asText());
        assertEquals("compiled", hello.get("compile").get("state").asText());
        assertTrue(hello.get("compile").get("millis").asDouble() > 0);
        assertEquals(4, hello.get("requests").asLong());
        assertEquals(3, hello.get("responses").get("2xx").asLong());
        assertEquals(1, hello.get("responses").get("4xx").asLong());
        assertEquals(1, hello.get("errors").get("method").asLong());
        assertEquals(0, hello.get("inFlight").asLong());
        assertEquals(4, hello.get("latencyMillis").get("count").asLong());
        assertTrue(hello.get("latencyMillis").get("p50").asDouble() > 0);

        assertEquals(1, route(status, "/trap").get("errors").get("trap").asLong());
        assertEquals(1, route(status, "/trap").get("responses").get("5xx").asLong());
        JsonNode loop = route(status, "/loop/...");
        assertEquals(1, loop.get("errors").get("timeout").asLong());
        assertTrue(loop.get("latencyMillis").get("max").asDouble() >= 250, "ran into its 300 ms timeout");

        assertTrue(status.get("moduleCache").get("misses").asLong() >= 3, "each module compiled at start");
        assertTrue(status.get("moduleCache").get("hits").asLong() >= 5, "each run found its module compiled");
        assertEquals(json.readTree(get("/app/admin/status?format=json", ALICE).body()).get("routes").size(), 4,
                "?format=json works too");
    }

    @Test
    void htmlByDefault() throws Exception {
        HttpResponse<String> response = get("/app/admin/status", ALICE, "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(response.headers().firstValue("Content-Security-Policy").orElseThrow().startsWith("default-src 'none'"));
        String html = response.body();
        for (String text : List.of("<code>/hello</code>", "<code>/trap</code>", "<code>/loop/...</code>", "hello.wasm", "trap 1",
                "timeout 1", "method 1", "compiled")) {
            assertTrue(html.contains(text), text + " in " + html);
        }
        HttpResponse<String> head = send(HttpRequest.newBuilder(container.uri("/app/admin/status"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", ALICE));
        assertEquals(200, head.statusCode());
        assertEquals(405, send(HttpRequest.newBuilder(container.uri("/app/admin/status"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", ALICE)).statusCode());
    }

    @Test
    void theMetricsAreMBeansOfTheServersPlatformMBeanServer() throws Exception {
        List<String> beans = get("/app/mbeans?attribute=Requests&attribute=CompileState", null).body().lines().toList();
        assertTrue(beans.contains("dev.wagiservlet:type=Filter,webapp=/app,filter=wagi Requests=6 CompileState=-"), beans.toString());
        assertTrue(beans.contains("dev.wagiservlet:type=Route,webapp=/app,filter=wagi,route=\"/hello\" Requests=4 CompileState=compiled"),
                beans.toString());
        assertTrue(beans.contains("dev.wagiservlet:type=Route,webapp=/app,filter=wagi,route=\"/loop/...\" Requests=1 CompileState=compiled"),
                beans.toString());
        assertTrue(beans.stream().anyMatch(b -> b.startsWith("dev.wagiservlet:type=Filter,webapp=/wagi,filter=wagi ")),
                "the WAR's filter too: " + beans);
        assertTrue(beans.stream().anyMatch(b -> b.startsWith("dev.wagiservlet:type=Route,webapp=/wagi,filter=wagi,route=\"/trap\" ")),
                "and its routes from the modules.toml: " + beans);
    }

    @Test
    void startupLogNamesEveryRouteWithSizeAndTimeAndASummary() {
        String log = container.log();
        assertTrue(Pattern.compile("Route /hello -> \\S*hello\\.wasm \\(\\d+ bytes\\), ready (on \\w+ )?in \\d+ ms").matcher(log).find(), log);
        assertTrue(Pattern.compile("Route /loop/\\.\\.\\. -> \\S*loop\\.wasm \\(\\d+ bytes\\), ready (on \\w+ )?in \\d+ ms").matcher(log).find());
        assertTrue(Pattern.compile("WAGI filter 'wagi' serves 4 route\\(s\\); started in \\d+ ms").matcher(log).find(), log);
    }

    /**
     * interpreted.wasm has one function too large for a JVM method: the container log says so once,
     * naming the module, the count and the function, and nothing is printed by Chicory itself; the
     * status page counts it, on the route's engine.
     */
    @Test
    void interpretedFunctionsAreLoggedWithTheModuleAndCountedOnTheStatusPage() throws Exception {
        String module = work.resolve("modules/wasm/interpreted.wasm").toString();
        String log = container.log();
        List<String> warnings = log.lines().filter(line -> line.contains("Chicory interprets")).toList();
        assertEquals(1, warnings.stream().distinct().count(), "one warning (a record may be on the console and in a file): " + log);
        String warning = warnings.get(0);
        assertTrue(warning.contains(module + ": Chicory interprets 1 of its functions, too large for a JVM method"), warning);
        assertTrue(warning.contains(": 2 (mix); engine = \"wasmtime\" or \"auto\" runs this module natively"), warning);
        assertFalse(log.contains("using interpreted mode"), "nothing from Chicory on the console: " + log);

        JsonNode status = json.readTree(get("/app/admin/status?format=json", ALICE).body());
        JsonNode interpreted = route(status, "/interpreted");
        assertEquals("chicory", interpreted.get("engine").asText());
        assertEquals(1, interpreted.get("compile").get("interpretedFunctions").asInt());
        assertEquals(0, route(status, "/hello").get("compile").get("interpretedFunctions").asInt());
        String html = get("/app/admin/status", ALICE).body();
        assertTrue(html.contains(">1 function interpreted</div>"), html);
    }
}
