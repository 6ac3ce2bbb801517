package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.routing.RoutePattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** web.xml init-params through {@link InitParameters} and {@link WagiSettingsReader} to {@link WagiSettings}. */
class WagiSettingsReaderTest {

    private static final String ORIGIN = "web.xml filter 'wagi'";
    private static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Map<String, String> params(String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    private static WagiSettings read(String... keyValues) {
        return WagiSettingsReader.read(InitParameters.read(params(keyValues), ORIGIN), ORIGIN);
    }

    /** A route 'a' at /a with the given extra keys (without the {@code routes.a.} prefix). */
    private static RouteConfig routeA(String... keyValues) {
        String[] all = new String[keyValues.length + 4];
        all[0] = "routes.a.route";
        all[1] = "/a";
        all[2] = "routes.a.module";
        all[3] = "/WEB-INF/a.wasm";
        for (int i = 0; i < keyValues.length; i += 2) {
            all[4 + i] = "routes.a." + keyValues[i];
            all[5 + i] = keyValues[i + 1];
        }
        WagiSettings settings = read(all);
        assertEquals(1, settings.routes().size());
        return settings.routes().get(0);
    }

    private static ConfigException fails(String... keyValues) {
        return assertThrows(ConfigException.class, () -> read(keyValues));
    }

    private static ConfigException routeAFails(String key, String value) {
        return fails("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm", "routes.a." + key, value);
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    /** The message starts with the origin and the init-param exactly as written. */
    private static void assertNamesInitParam(Throwable e, String param) {
        String prefix = ORIGIN + ", init-param '" + param + "': ";
        assertTrue(e.getMessage().startsWith(prefix), "'" + e.getMessage() + "' should start with '" + prefix + "'");
    }

    // --- defaults and global keys ----------------------------------------------------------------

    @Test
    void nothingConfigured() {
        WagiSettings settings = read();
        assertEquals(Optional.empty(), settings.modulesToml());
        assertEquals(EngineMode.COMPILER, settings.engine());
        assertEquals(Map.of(), settings.environment());
        assertEquals(Optional.empty(), settings.healthRoute());
        assertEquals(WagiSettings.DEFAULT_RELOAD_INTERVAL, settings.reloadInterval());
        assertEquals(Duration.ofSeconds(2), settings.reloadInterval());
        assertEquals(Optional.empty(), settings.moduleCacheDir());
        assertEquals(List.of(), settings.routes());
    }

    @Test
    void modulesToml() {
        Setting toml = read("modules-toml", "  /WEB-INF/modules.toml ").modulesToml().orElseThrow();
        assertEquals("/WEB-INF/modules.toml", toml.value());
        assertEquals(ORIGIN + ", init-param 'modules-toml'", toml.where());
    }

    @Test
    void modulesTomlWithUnderscore() {
        Setting toml = read("modules_toml", "/etc/wagi/modules.toml").modulesToml().orElseThrow();
        assertEquals("/etc/wagi/modules.toml", toml.value());
        assertEquals(ORIGIN + ", init-param 'modules_toml'", toml.where());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t"})
    void blankModulesTomlIsNone(String value) {
        assertEquals(Optional.empty(), read("modules-toml", value).modulesToml());
    }

    /** MicroProfile Config settings are laid over the init-params key by key (as WagiFilter does). */
    @Test
    void aLaterSourceReplacesModulesTomlAndItsOrigin() {
        Map<String, Setting> settings = new LinkedHashMap<>(InitParameters.read(
                params("modules-toml", "/WEB-INF/a.toml", "engine", "interpreter"), ORIGIN));
        settings.putAll(Map.of("modules_toml", new Setting("/etc/wagi/b.toml", "MicroProfile Config property 'wagi.modules-toml'")));
        WagiSettings read = WagiSettingsReader.read(settings, ORIGIN);
        assertEquals(new Setting("/etc/wagi/b.toml", "MicroProfile Config property 'wagi.modules-toml'"), read.modulesToml().orElseThrow());
        assertEquals(EngineMode.INTERPRETER, read.engine());
    }

    @Test
    void engineModes() {
        assertEquals(EngineMode.COMPILER, read("engine", "compiler").engine());
        assertEquals(EngineMode.INTERPRETER, read("engine", "interpreter").engine());
        assertEquals(EngineMode.INTERPRETER, read("engine", " Interpreter ").engine());
        assertEquals(EngineMode.COMPILER, read("engine", "COMPILER").engine());
        assertEquals(EngineMode.WASMTIME, read("engine", "wasmtime").engine());
        assertEquals(EngineMode.AUTO, read("engine", "auto").engine());
        assertEquals(RouteEngine.WASMTIME, EngineMode.WASMTIME.routeDefault());
        assertEquals(RouteEngine.CHICORY, EngineMode.INTERPRETER.routeDefault());
    }

    @Test
    void badEngineNamesKeyOriginAndValue() {
        ConfigException e = fails("engine", "jit");
        assertNamesInitParam(e, "engine");
        assertMentions(e, "'jit'", "compiler", "interpreter", "wasmtime", "auto");
    }

    @Test
    void engineDefaultIsCompilerEvenWithRoutes() {
        assertEquals(EngineMode.COMPILER, read("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm").engine());
    }

    @Test
    void globalEnvironment() {
        WagiSettings settings = read(
                "environment.API_KEY", "secret",
                "environment.Mixed_case", " v ",
                "environment.MY-VAR", "dash",
                "environment.EMPTY", "");
        assertEquals(Map.of("API_KEY", "secret", "Mixed_case", "v", "MY-VAR", "dash", "EMPTY", ""), settings.environment());
        assertThrows(UnsupportedOperationException.class, () -> settings.environment().put("X", "y"));
    }

    /** A route's environment names are checked; the global ones must get the same check. */
    @ParameterizedTest
    @ValueSource(strings = {"environment.A=B", "environment.A\0B"})
    void badGlobalEnvironmentNameIsRejected(String key) {
        ConfigException e = fails(key, "x");
        assertNamesInitParam(e, key);
        assertMentions(e, "environment variable name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/healthz", "/health/...", "/..."})
    void healthRoute(String route) {
        assertEquals(Optional.of(RoutePattern.parse(route)), read("health-route", route).healthRoute());
        assertEquals(Optional.of(RoutePattern.parse(route)), read("health_route", " " + route + " ").healthRoute());
    }

    @ParameterizedTest
    @ValueSource(strings = {"healthz", "/he lth", "/a?b", "/.../x", ""})
    void badHealthRouteNamesTheKey(String route) {
        ConfigException e = fails("health-route", route);
        assertNamesInitParam(e, "health-route");
    }

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "2m, PT2M",
        "1h, PT1H",
        "0s, PT0S",
        "PT5S, PT5S",
        "pt1m30s, PT1M30S",
        "' 10s ', PT10S"})
    void reloadInterval(String value, String expected) {
        assertEquals(Duration.parse(expected), read("reload-interval", value).reloadInterval());
        assertEquals(Duration.parse(expected), read("reload_interval", value).reloadInterval());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5x", "ms", "-5s", "five seconds", "", "2 minutes", "1.5s", "PTxS", "99999999999999999999s"})
    void badReloadIntervalNamesTheKey(String value) {
        ConfigException e = fails("reload-interval", value);
        assertNamesInitParam(e, "reload-interval");
        assertMentions(e, "'" + value + "'", "duration");
    }

    /** A negative interval or timeout makes no sense; "-5s" is rejected, so must "PT-5S" be. */
    @ParameterizedTest
    @ValueSource(strings = {"PT-5S", "-PT5S"})
    void negativeIsoDurationIsRejected(String value) {
        assertNamesInitParam(fails("reload-interval", value), "reload-interval");
        assertNamesInitParam(routeAFails("http-timeout", value), "routes.a.http-timeout");
    }

    @Test
    void moduleCacheDir() {
        Setting dir = read("module-cache-dir", " /var/cache/wagi ").moduleCacheDir().orElseThrow();
        assertEquals("/var/cache/wagi", dir.value());
        assertEquals(ORIGIN + ", init-param 'module-cache-dir'", dir.where());
        assertEquals("/tmp/x", read("module_cache_dir", "/tmp/x").moduleCacheDir().orElseThrow().value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"modules.toml", "route", "routes", "module", "wagi.modules-toml", "engines", "environment",
            "environment.", "health", "reload-intervall", "cache-dir", "allowed-hosts"})
    void unknownKeyNamesKeyAndOrigin(String key) {
        ConfigException e = fails(key, "x");
        assertNamesInitParam(e, key);
        assertMentions(e, "unknown");
    }

    // --- routes ------------------------------------------------------------------------------------

    @Test
    void fullRoute() {
        WagiSettings settings = read(
                "routes.hello.route", "/hello/...",
                "routes.hello.module", "/WEB-INF/wasm/hello.wasm",
                "routes.hello.sha256", SHA.toUpperCase(),
                "routes.hello.entrypoint", " hello ",
                "routes.hello.argv", "${SCRIPT_NAME} ${ARGS}",
                "routes.hello.volumes./data", "/srv/data",
                "routes.hello.volumes./static", "static/files",
                "routes.hello.writable-volumes", "/data",
                "routes.hello.environment.API_KEY", "k",
                "routes.hello.environment.lower", "v",
                "routes.hello.methods", "get,POST",
                "routes.hello.hosts", "Example.com, api.example.com:8080",
                "routes.hello.allowed-hosts", "https://api.example.com, insecure:allow-all",
                "routes.hello.http-max-concurrency", "4",
                "routes.hello.http-timeout", "10s");
        assertEquals(1, settings.routes().size());
        RouteConfig route = settings.routes().get(0);
        assertEquals(RoutePattern.parse("/hello/..."), route.route());
        assertEquals(new Location.WebappResource("/WEB-INF/wasm/hello.wasm"), route.module());
        assertEquals(Optional.of(SHA), route.sha256());
        assertEquals("hello", route.entrypoint());
        assertEquals(Optional.of("${SCRIPT_NAME} ${ARGS}"), route.argv());
        assertEquals(Map.of(
                "/data", new RouteConfig.Volume(new Location.HostFile(Path.of("/srv/data")), true),
                "/static", new RouteConfig.Volume(new Location.WebappResource("/static/files"), false)), route.volumes());
        assertEquals(Map.of("API_KEY", "k", "lower", "v"), route.environment());
        assertEquals(Set.of("GET", "POST"), route.methods());
        assertEquals(Set.of("example.com", "api.example.com:8080"), route.hosts());
        assertEquals(new RouteConfig.OutboundHttp(List.of("https://api.example.com", "insecure:allow-all"), OptionalInt.of(4),
                Optional.of(Duration.ofSeconds(10))), route.http());
        assertEquals(ORIGIN + ", route 'hello'", route.origin());
    }

    @Test
    void minimalRouteHasDefaults() {
        RouteConfig route = read("routes.a.route", "/a", "routes.a.module", "/opt/wasm/a.wasm").routes().get(0);
        assertEquals(RoutePattern.parse("/a"), route.route());
        assertEquals(new Location.HostFile(Path.of("/opt/wasm/a.wasm")), route.module());
        assertEquals(Optional.empty(), route.sha256());
        assertEquals("_start", route.entrypoint());
        assertEquals(RouteConfig.DEFAULT_ENTRYPOINT, route.entrypoint());
        assertEquals(Optional.empty(), route.argv());
        assertEquals(Map.of(), route.volumes());
        assertEquals(Map.of(), route.environment());
        assertEquals(Set.of(), route.methods());
        assertEquals(Set.of(), route.hosts());
        assertEquals(RouteConfig.OutboundHttp.NONE, route.http());
        assertEquals(ORIGIN + ", route 'a'", route.origin());
    }

    @Test
    void moduleAsFileUrlAndRelativePath() {
        WagiSettings settings = read(
                "routes.a.route", "/a", "routes.a.module", "file:///opt/wasm/a.wasm",
                "routes.b.route", "/b", "routes.b.module", "wasm/b.wasm");
        assertEquals(new Location.HostFile(Path.of("/opt/wasm/a.wasm")), settings.routes().get(0).module());
        assertEquals(new Location.WebappResource("/wasm/b.wasm"), settings.routes().get(1).module());
    }

    @Test
    void moduleFromHttpsAndClasspath() {
        WagiSettings settings = read(
                "routes.a.route", "/a", "routes.a.module", "https://example.com/wasm/a.wasm",
                "routes.b.route", "/b", "routes.b.module", "classpath:wasm/b.wasm");
        assertEquals(new Location.RemoteUrl(URI.create("https://example.com/wasm/a.wasm")), settings.routes().get(0).module());
        assertEquals(new Location.ClasspathResource("wasm/b.wasm"), settings.routes().get(1).module());
    }

    @Test
    void routesAreOrderedByName() {
        WagiSettings settings = read(
                "routes.zeta.route", "/z", "routes.zeta.module", "/WEB-INF/z.wasm",
                "routes.alpha.route", "/a", "routes.alpha.module", "/WEB-INF/a.wasm",
                "routes.mid.route", "/m", "routes.mid.module", "/WEB-INF/m.wasm");
        assertEquals(List.of("/a", "/m", "/z"), settings.routes().stream().map(r -> r.route().text()).toList());
    }

    @Test
    void valuesAreTrimmed() {
        RouteConfig route = read(
                "routes.a.route", "  /a  ",
                "routes.a.module", " /WEB-INF/a.wasm\n",
                "routes.a.methods", " GET ",
                "routes.a.environment.X", "\t1 ").routes().get(0);
        assertEquals("/a", route.route().text());
        assertEquals(new Location.WebappResource("/WEB-INF/a.wasm"), route.module());
        assertEquals(Set.of("GET"), route.methods());
        assertEquals(Map.of("X", "1"), route.environment());
    }

    @Test
    void nullValueIsEmpty() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("routes.a.route", null);
        params.put("routes.a.module", "/WEB-INF/a.wasm");
        ConfigException e = assertThrows(ConfigException.class,
                () -> WagiSettingsReader.read(InitParameters.read(params, ORIGIN), ORIGIN));
        assertNamesInitParam(e, "routes.a.route");
        assertMentions(e, "empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"routes.a.entry-point", "routes.a.volumes", "routes.a.environment", "routes.a.allowed-host",
            "routes.a.bindle-servers", "routes.a.time-out"})
    void unknownRouteKeyNamesKeyAndOrigin(String key) {
        ConfigException e = fails("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm", key, "x");
        assertNamesInitParam(e, key);
        assertMentions(e, "unknown route key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"routes.a", "routes..route", "routes.", "routes.a."})
    void routeKeyWithoutNameOrSubKeyIsRejected(String key) {
        ConfigException e = fails(key, "x");
        assertNamesInitParam(e, key);
        assertMentions(e, "routes.NAME.KEY");
    }

    @Test
    void missingRouteNamesTheKey() {
        ConfigException e = fails("routes.hello.module", "/WEB-INF/hello.wasm");
        assertMentions(e, ORIGIN, "route 'hello'", "key 'route'", "missing");
    }

    @Test
    void missingModuleNamesTheKey() {
        ConfigException e = fails("routes.hello.route", "/hello");
        assertMentions(e, ORIGIN, "route 'hello'", "key 'module'", "missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "/he llo", "/a?b", "/a#b", "/.../x", ""})
    void badRouteNamesTheKey(String route) {
        ConfigException e = fails("routes.hello.route", route, "routes.hello.module", "/WEB-INF/hello.wasm");
        assertNamesInitParam(e, "routes.hello.route");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci:ghcr.io/X/y:1", "oci:", "oci:x@sha1:00", "bindle:x/y/1", "ftp://example.com/a.wasm", "jar:file:/x.jar!/a.wasm",
            "https:///a.wasm", "file://remotehost/a.wasm", "classpath:", "../../../etc/a.wasm", ""})
    void badModuleNamesTheKey(String module) {
        ConfigException e = fails("routes.hello.route", "/hello", "routes.hello.module", module);
        assertNamesInitParam(e, "routes.hello.module");
    }

    @Test
    void emptyEntrypointNamesTheKey() {
        ConfigException e = routeAFails("entrypoint", "  ");
        assertNamesInitParam(e, "routes.a.entrypoint");
        assertMentions(e, "empty");
    }

    @Test
    void relativeGuestPathOfVolumeNamesTheKey() {
        ConfigException e = routeAFails("volumes.data", "/srv");
        assertNamesInitParam(e, "routes.a.volumes.data");
        assertMentions(e, "absolute");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://x/", "classpath:static", ""})
    void badVolumeHostNamesTheKey(String host) {
        ConfigException e = routeAFails("volumes./d", host);
        assertNamesInitParam(e, "routes.a.volumes./d");
    }

    @Test
    void routeEnvironment() {
        RouteConfig route = routeA(
                "environment.DB_URL", "jdbc:postgresql://db/x",
                "environment.lower_Case", "v",
                "environment.MY-VAR", "dash",
                "environment.EMPTY", "");
        assertEquals(Map.of("DB_URL", "jdbc:postgresql://db/x", "lower_Case", "v", "MY-VAR", "dash", "EMPTY", ""), route.environment());
    }

    @ParameterizedTest
    @ValueSource(strings = {"environment.", "environment.A=B"})
    void badRouteEnvironmentNameNamesTheKey(String key) {
        ConfigException e = routeAFails(key, "x");
        assertNamesInitParam(e, "routes.a." + key);
        assertMentions(e, "environment variable name");
    }

    @Test
    void globalAndRouteEnvironmentAreKeptApart() {
        WagiSettings settings = read(
                "environment.SHARED", "global",
                "routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm",
                "routes.a.environment.OWN", "route");
        assertEquals(Map.of("SHARED", "global"), settings.environment());
        assertEquals(Map.of("OWN", "route"), settings.routes().get(0).environment());
    }

    @Test
    void methodsAreUpperCased() {
        assertEquals(Set.of("GET", "POST", "DELETE", "PROPFIND"), routeA("methods", "get, Post ,DELETE,,propfind").methods());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GE T", "G(ET)", "GET;POST", "GET/1", "\"GET\"", "GÉT"})
    void badMethodNamesTheKeyAndToken(String method) {
        ConfigException e = routeAFails("methods", "POST," + method);
        assertNamesInitParam(e, "routes.a.methods");
        assertMentions(e, "'" + method.strip() + "'", "HTTP method");
    }

    @Test
    void hostsAreLowerCased() {
        assertEquals(Set.of("example.com", "api.example.com:8080", "127.0.0.1", "[::1]:8443", "localhost"),
                routeA("hosts", "Example.COM, API.example.com:8080,127.0.0.1 ,[::1]:8443,LOCALHOST").hosts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "*.example.com", "exa mple.com", "example.com:", "example.com:http", ":8080",
            "example.com:123456", "exa_mple.com", "example.com/path", "[::1"})
    void badHostNamesTheKeyAndHost(String host) {
        ConfigException e = routeAFails("hosts", "ok.example.com," + host);
        assertNamesInitParam(e, "routes.a.hosts");
        assertMentions(e, "'" + host + "'", "host");
    }

    /** A port must be 1..65535; five digits are not enough to say it is one. */
    @ParameterizedTest
    @ValueSource(strings = {"example.com:70000", "example.com:99999", "example.com:0"})
    void hostWithPortOutOfRangeIsRejected(String host) {
        ConfigException e = routeAFails("hosts", host);
        assertNamesInitParam(e, "routes.a.hosts");
        assertMentions(e, "'" + host + "'");
    }

    @Test
    void writableVolumes() {
        RouteConfig route = routeA(
                "volumes./data", "/srv/data",
                "volumes./cache", "/var/cache",
                "volumes./ro", "/srv/ro",
                "writable-volumes", "/data, /cache");
        assertEquals(Map.of(
                "/data", new RouteConfig.Volume(new Location.HostFile(Path.of("/srv/data")), true),
                "/cache", new RouteConfig.Volume(new Location.HostFile(Path.of("/var/cache")), true),
                "/ro", new RouteConfig.Volume(new Location.HostFile(Path.of("/srv/ro")), false)), route.volumes());
    }

    @Test
    void volumesAreReadOnlyByDefault() {
        RouteConfig route = routeA("volumes./data", "/srv/data");
        assertFalse(route.volumes().get("/data").writable());
    }

    @Test
    void writableVolumeMustBeAVolume() {
        ConfigException e = fails(
                "routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm",
                "routes.a.volumes./data", "/srv/data",
                "routes.a.writable-volumes", "/data,/nope");
        assertNamesInitParam(e, "routes.a.writable-volumes");
        assertMentions(e, "'/nope'", "/data");
    }

    @Test
    void writableVolumeWithoutAnyVolume() {
        ConfigException e = routeAFails("writable_volumes", "/data");
        assertNamesInitParam(e, "routes.a.writable_volumes");
        assertMentions(e, "'/data'");
    }

    @Test
    void sha256IsLowerCased() {
        assertEquals(Optional.of(SHA), routeA("sha256", SHA.toUpperCase()).sha256());
        assertEquals(Optional.of(SHA), routeA("sha256", " " + SHA + " ").sha256());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
            "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void badSha256NamesTheKey(String sha) {
        ConfigException e = routeAFails("sha256", sha);
        assertNamesInitParam(e, "routes.a.sha256");
        assertMentions(e, "64 hexadecimal digits");
    }

    @Test
    void httpMaxConcurrency() {
        assertEquals(OptionalInt.of(3), routeA("http-max-concurrency", "3").http().maxConcurrency());
        assertEquals(OptionalInt.of(7), routeA("http_max_concurrency", " 7 ").http().maxConcurrency());
        assertEquals(OptionalInt.empty(), routeA().http().maxConcurrency());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "1.5", "", "99999999999"})
    void badHttpMaxConcurrencyNamesTheKeyAndValue(String value) {
        ConfigException e = routeAFails("http-max-concurrency", value);
        assertNamesInitParam(e, "routes.a.http-max-concurrency");
        assertMentions(e, "'" + value + "'", "positive whole number");
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "2m, PT2M", "1h, PT1H", "PT5S, PT5S"})
    void httpTimeout(String value, String expected) {
        assertEquals(Optional.of(Duration.parse(expected)), routeA("http-timeout", value).http().timeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5x", "-5s", "ten seconds", "", "1d"})
    void badHttpTimeoutNamesTheKey(String value) {
        ConfigException e = routeAFails("http_timeout", value);
        assertNamesInitParam(e, "routes.a.http_timeout");
        assertMentions(e, "'" + value + "'", "duration");
    }

    @Test
    void allowedHosts() {
        assertEquals(List.of("https://api.example.com", "http://localhost:8080"),
                routeA("allowed_hosts", " https://api.example.com ,, http://localhost:8080 ").http().allowedHosts());
    }

    // --- '-' and '_' -------------------------------------------------------------------------------

    @Test
    void dashAndUnderscoreSpellingsAreEquivalent() {
        String[] dashed = {
            "modules-toml", "/WEB-INF/m.toml", "health-route", "/healthz", "reload-interval", "5s", "module-cache-dir", "/c",
            "routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm", "routes.a.volumes./d", "/d",
            "routes.a.writable-volumes", "/d", "routes.a.allowed-hosts", "https://x.example", "routes.a.http-max-concurrency", "2",
            "routes.a.http-timeout", "3s"};
        String[] underscored = dashed.clone();
        for (int i = 0; i < underscored.length; i += 2) {
            underscored[i] = underscored[i].contains("volumes./") ? underscored[i] : underscored[i].replace('-', '_');
        }
        WagiSettings a = read(dashed);
        WagiSettings b = read(underscored);
        assertEquals(a.modulesToml().map(Setting::value), b.modulesToml().map(Setting::value));
        assertEquals(a.healthRoute(), b.healthRoute());
        assertEquals(a.reloadInterval(), b.reloadInterval());
        assertEquals(a.moduleCacheDir().map(Setting::value), b.moduleCacheDir().map(Setting::value));
        assertEquals(a.routes(), b.routes());
        assertEquals(Duration.ofSeconds(5), a.reloadInterval());
        assertEquals(List.of("https://x.example"), a.routes().get(0).http().allowedHosts());
        assertTrue(a.routes().get(0).volumes().get("/d").writable());
    }

    @Test
    void dashInAVolumeGuestPathOrEnvironmentNameIsKept() {
        RouteConfig route = routeA("volumes./my-data", "/srv/a", "volumes./my_data", "/srv/b", "environment.A-B", "1", "environment.A_B", "2");
        assertEquals(Set.of("/my-data", "/my_data"), route.volumes().keySet());
        assertEquals(Map.of("A-B", "1", "A_B", "2"), route.environment());
    }

    @ParameterizedTest
    @CsvSource({
        "modules-toml, modules_toml",
        "modules_toml, modules_toml",
        "health-route, health_route",
        "reload-interval, reload_interval",
        "module-cache-dir, module_cache_dir",
        "engine, engine",
        "environment.MY-VAR, environment.MY-VAR",
        "routes.a.allowed-hosts, routes.a.allowed_hosts",
        "routes.my-app.http-max-concurrency, routes.my-app.http_max_concurrency",
        "routes.a.volumes./a-b, routes.a.volumes./a-b",
        "routes.a.environment.A-B, routes.a.environment.A-B",
        "routes.a, routes.a"})
    void canonicalKeys(String key, String canonical) {
        assertEquals(canonical, WagiSettingsReader.canonical(key));
    }

    // --- every message names the exact key and the origin -------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "engine | jit",
        "health-route | healthz",
        "health_route | /a b",
        "reload-interval | soon",
        "reload_interval | 10",
        "modules.toml | x",
        "routes.a.route | a",
        "routes.a.module | oci:x/Y:1",
        "oci-insecure-registries | http://127.0.0.1:5000",
        "oci-username | me",
        "oci-password | secret",
        "routes.a.sha256 | xyz",
        "routes.a.entrypoint | ' '",
        "routes.a.volumes.rel | /srv",
        "routes.a.volumes./d | https://example.com/d",
        "routes.a.writable-volumes | /missing",
        "routes.a.writable_volumes | /missing",
        "routes.a.environment.A=B | x",
        "routes.a.methods | 'GET POST'",
        "routes.a.hosts | http://example.com",
        "routes.a.allowed-hosts-list | x",
        "routes.a.http-max-concurrency | 0",
        "routes.a.http_max_concurrency | -1",
        "routes.a.http-timeout | later",
        "routes.a.unknown | x"})
    void everyErrorNamesTheExactKeyAndOrigin(String key, String value) {
        Map<String, String> params = params("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm");
        params.put(key, value);
        ConfigException e = assertThrows(ConfigException.class,
                () -> WagiSettingsReader.read(InitParameters.read(params, ORIGIN), ORIGIN));
        assertNamesInitParam(e, key);
    }

    @Test
    void routesAndEnvironmentAreImmutable() {
        WagiSettings settings = read("routes.a.route", "/a", "routes.a.module", "/WEB-INF/a.wasm", "routes.a.environment.X", "1");
        assertThrows(UnsupportedOperationException.class, () -> settings.routes().clear());
        assertThrows(UnsupportedOperationException.class, () -> settings.routes().get(0).environment().clear());
        assertThrows(UnsupportedOperationException.class, () -> settings.routes().get(0).volumes().clear());
    }

    @Test
    void settingsFromAnyOriginNameThatOrigin() {
        Map<String, Setting> settings = new LinkedHashMap<>();
        settings.put("routes.x.route", new Setting("/x", "environment variable WAGI_ROUTES_X_ROUTE"));
        settings.put("routes.x.module", new Setting("oci:x@sha1:00", "environment variable WAGI_ROUTES_X_MODULE"));
        ConfigException e = assertThrows(ConfigException.class, () -> WagiSettingsReader.read(settings, "MicroProfile Config"));
        assertTrue(e.getMessage().startsWith("environment variable WAGI_ROUTES_X_MODULE: "), e.getMessage());
    }

    @Test
    void ociSettingsDefaultToWagis() {
        OciSettings oci = read().oci();
        assertEquals(List.of("localhost:5000", "127.0.0.1:5000"), oci.insecureRegistries());
        assertTrue(oci.isInsecure("LOCALHOST:5000"));
        assertTrue(!oci.isInsecure("localhost:5001") && !oci.isInsecure("ghcr.io"));
        assertEquals(Optional.empty(), oci.username());
        assertEquals(Optional.empty(), oci.dockerConfig());
    }

    @Test
    void ociSettingsAreRead() {
        OciSettings oci = read("oci-insecure-registries", "127.0.0.1:41234, Registry.Local", "oci-username", "me",
                "oci-password", "s3cret", "oci-docker-config", "/etc/wagi/docker.json").oci();
        assertEquals(List.of("127.0.0.1:41234", "registry.local"), oci.insecureRegistries());
        assertEquals(Optional.of("me"), oci.username());
        assertEquals(Optional.of("s3cret"), oci.password());
        assertEquals(Optional.of("/etc/wagi/docker.json"), oci.dockerConfig());
        assertTrue(!oci.toString().contains("s3cret"), oci.toString());
        assertEquals(List.of(), read("oci-insecure-registries", "").oci().insecureRegistries());
    }

    @Test
    void ociModuleIsARoute() {
        assertEquals(new Location.OciImage(OciReference.parse("oci:127.0.0.1:5000/wagi/hello:1")),
                read("routes.a.route", "/a", "routes.a.module", "oci:127.0.0.1:5000/wagi/hello:1").routes().get(0).module());
    }

    @Test
    void unknownKeyListsTheOciKeys() {
        assertMentions(fails("oci-registry", "x"), "oci-insecure-registries", "oci-username", "oci-password", "oci-docker-config");
    }

    @Test
    void maxTotalMemoryDefaultsToHalfTheHeap() {
        WagiSettings defaults = read();
        assertEquals(0, defaults.maxTotalMemory());
        assertEquals(Runtime.getRuntime().maxMemory() / 2, defaults.effectiveMaxTotalMemory());
        assertEquals(256L << 20, read("max-total-memory", "256MiB").effectiveMaxTotalMemory());
        assertMentions(fails("max-total-memory", "0"), "max-total-memory", "more than zero");
    }

    @Test
    void aRouteWithoutItsOwnCapGetsHalfTheSlots() {
        assertEquals(50, read().routeShare());
        assertEquals(4, read("max-total-concurrency", "7").routeShare());
        assertEquals(1, read("max-total-concurrency", "1").routeShare());
    }
}
