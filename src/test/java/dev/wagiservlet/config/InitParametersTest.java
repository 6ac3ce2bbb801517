package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.routing.RoutePattern;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InitParametersTest {

    private static final String ORIGIN = "web.xml filter 'wagi'";

    private static FilterSettings read(String... keyValues) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return InitParameters.read(params, ORIGIN);
    }

    private static ConfigException fails(String... keyValues) {
        return assertThrows(ConfigException.class, () -> read(keyValues));
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    @Test
    void nothingConfigured() {
        FilterSettings settings = read();
        assertEquals(Optional.empty(), settings.modulesToml());
        assertEquals(EngineMode.COMPILER, settings.engine());
        assertEquals(List.of(), settings.routes());
        assertEquals(ORIGIN + ", key 'modules-toml'", settings.modulesTomlOrigin());
    }

    @Test
    void modulesToml() {
        FilterSettings settings = read("modules-toml", "  /WEB-INF/modules.toml ");
        assertEquals(Optional.of("/WEB-INF/modules.toml"), settings.modulesToml());
        assertTrue(settings.modulesTomlOrigin().contains("modules-toml"));
        assertTrue(settings.modulesTomlOrigin().contains(ORIGIN));
    }

    @Test
    void blankModulesTomlIsNone() {
        assertEquals(Optional.empty(), read("modules-toml", "   ").modulesToml());
    }

    @Test
    void withModulesTomlReplacesReferenceAndOrigin() {
        FilterSettings settings = read("modules-toml", "/WEB-INF/a.toml", "engine", "interpreter")
                .withModulesToml("/etc/wagi/b.toml", "system property wagi.modules-toml");
        assertEquals(Optional.of("/etc/wagi/b.toml"), settings.modulesToml());
        assertEquals("system property wagi.modules-toml", settings.modulesTomlOrigin());
        assertEquals(EngineMode.INTERPRETER, settings.engine());
    }

    @Test
    void engineModes() {
        assertEquals(EngineMode.COMPILER, read("engine", "compiler").engine());
        assertEquals(EngineMode.INTERPRETER, read("engine", "interpreter").engine());
        assertEquals(EngineMode.INTERPRETER, read("engine", " Interpreter ").engine());
        assertEquals(EngineMode.COMPILER, read("engine", "COMPILER").engine());
    }

    @Test
    void badEngineNamesKeyOriginAndValue() {
        ConfigException e = fails("engine", "jit");
        assertMentions(e, ORIGIN, "'engine'", "'jit'", "compiler", "interpreter");
    }

    @Test
    void fullRoute() {
        FilterSettings settings = read(
                "routes.hello.route", "/hello/...",
                "routes.hello.module", "/WEB-INF/wasm/hello.wasm",
                "routes.hello.entrypoint", " hello ",
                "routes.hello.argv", "${SCRIPT_NAME} ${ARGS}",
                "routes.hello.volumes./data", "/srv/data",
                "routes.hello.volumes./static", "static/files");
        assertEquals(1, settings.routes().size());
        RouteConfig route = settings.routes().get(0);
        assertEquals(RoutePattern.parse("/hello/..."), route.route());
        assertEquals(new Location.WebappResource("/WEB-INF/wasm/hello.wasm"), route.module());
        assertEquals("hello", route.entrypoint());
        assertEquals(Optional.of("${SCRIPT_NAME} ${ARGS}"), route.argv());
        assertEquals(Map.of(
                "/data", new Location.HostFile(Path.of("/srv/data")),
                "/static", new Location.WebappResource("/static/files")), route.volumes());
        assertEquals(ORIGIN + ", key 'routes.hello'", route.origin());
    }

    @Test
    void minimalRouteHasDefaults() {
        RouteConfig route = read("routes.a.route", "/a", "routes.a.module", "/opt/wasm/a.wasm").routes().get(0);
        assertEquals(RoutePattern.parse("/a"), route.route());
        assertEquals(new Location.HostFile(Path.of("/opt/wasm/a.wasm")), route.module());
        assertEquals("_start", route.entrypoint());
        assertEquals(RouteConfig.DEFAULT_ENTRYPOINT, route.entrypoint());
        assertEquals(Optional.empty(), route.argv());
        assertEquals(Map.of(), route.volumes());
    }

    @Test
    void moduleAsFileUrlAndRelativePath() {
        FilterSettings settings = read(
                "routes.a.route", "/a", "routes.a.module", "file:///opt/wasm/a.wasm",
                "routes.b.route", "/b", "routes.b.module", "wasm/b.wasm");
        assertEquals(new Location.HostFile(Path.of("/opt/wasm/a.wasm")), settings.routes().get(0).module());
        assertEquals(new Location.WebappResource("/wasm/b.wasm"), settings.routes().get(1).module());
    }

    @Test
    void routesAreOrderedByName() {
        FilterSettings settings = read(
                "routes.zeta.route", "/z", "routes.zeta.module", "/WEB-INF/z.wasm",
                "routes.alpha.route", "/a", "routes.alpha.module", "/WEB-INF/a.wasm",
                "routes.mid.route", "/m", "routes.mid.module", "/WEB-INF/m.wasm");
        assertEquals(List.of("/a", "/m", "/z"), settings.routes().stream().map(r -> r.route().text()).toList());
    }

    @Test
    void valuesAreTrimmed() {
        RouteConfig route = read("routes.a.route", "  /a  ", "routes.a.module", " /WEB-INF/a.wasm\n").routes().get(0);
        assertEquals("/a", route.route().text());
        assertEquals(new Location.WebappResource("/WEB-INF/a.wasm"), route.module());
    }

    @Test
    void nullValueIsEmpty() {
        Map<String, String> params = new HashMap<>();
        params.put("routes.a.route", null);
        params.put("routes.a.module", "/WEB-INF/a.wasm");
        ConfigException e = assertThrows(ConfigException.class, () -> InitParameters.read(params, ORIGIN));
        assertMentions(e, ORIGIN, "'routes.a.route'", "empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"modules.toml", "Engine", "route", "routes", "wagi.modules-toml", "modules_toml"})
    void unknownKeyNamesKeyAndOrigin(String key) {
        ConfigException e = fails(key, "x");
        assertMentions(e, ORIGIN, "'" + key + "'", "unknown");
    }

    @Test
    void unknownRouteKeyNamesKeyAndOrigin() {
        ConfigException e = fails("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm", "routes.a.entry-point", "x");
        assertMentions(e, ORIGIN, "'routes.a.entry-point'", "'entry-point'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"routes.a", "routes..route", "routes."})
    void routeKeyWithoutNameOrSubKeyIsRejected(String key) {
        ConfigException e = fails(key, "x");
        assertMentions(e, ORIGIN, "'" + key + "'", "routes.NAME.route");
    }

    @Test
    void missingRouteNamesTheKey() {
        ConfigException e = fails("routes.hello.module", "/WEB-INF/hello.wasm");
        assertMentions(e, ORIGIN, "'routes.hello.route'", "missing");
    }

    @Test
    void missingModuleNamesTheKey() {
        ConfigException e = fails("routes.hello.route", "/hello");
        assertMentions(e, ORIGIN, "'routes.hello.module'", "missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "/he llo", "/a?b", "/.../x", ""})
    void badRouteNamesTheKey(String route) {
        ConfigException e = fails("routes.hello.route", route, "routes.hello.module", "/WEB-INF/hello.wasm");
        assertMentions(e, ORIGIN, "'routes.hello.route'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci:ghcr.io/x/y:1", "https://example.com/a.wasm", "bindle:x/y/1", ""})
    void badModuleNamesTheKey(String module) {
        ConfigException e = fails("routes.hello.route", "/hello", "routes.hello.module", module);
        assertMentions(e, ORIGIN, "'routes.hello.module'");
    }

    @Test
    void emptyEntrypointNamesTheKey() {
        ConfigException e = fails("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm", "routes.a.entrypoint", "  ");
        assertMentions(e, ORIGIN, "'routes.a.entrypoint'", "empty");
    }

    @Test
    void relativeGuestPathOfVolumeNamesTheKey() {
        ConfigException e = fails("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm", "routes.a.volumes.data", "/srv");
        assertMentions(e, ORIGIN, "'routes.a.volumes.data'", "absolute");
    }

    @Test
    void badVolumeHostNamesTheKey() {
        ConfigException e = fails("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm", "routes.a.volumes./d", "https://x/");
        assertMentions(e, ORIGIN, "'routes.a.volumes./d'");
    }

    @Test
    void engineDefaultIsCompilerEvenWithRoutes() {
        assertEquals(EngineMode.COMPILER, read("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm").engine());
    }

    @Test
    void routesListIsImmutable() {
        FilterSettings settings = read("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm");
        assertThrows(UnsupportedOperationException.class, () -> settings.routes().clear());
    }
}
