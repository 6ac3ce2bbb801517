package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.routing.RoutePattern;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModulesTomlTest {

    @TempDir
    Path dir;

    private Location tomlFile() {
        return new Location.HostFile(dir.resolve("conf/modules.toml"));
    }

    private List<RouteConfig> read(String toml) {
        return ModulesToml.read(tomlFile(), new ByteArrayInputStream(toml.getBytes(StandardCharsets.UTF_8)));
    }

    private ConfigException fails(String toml) {
        return assertThrows(ConfigException.class, () -> read(toml));
    }

    private static RouteConfig.Volume readOnly(Location host) {
        return new RouteConfig.Volume(host, false);
    }

    private static List<RouteConfig> read(Location location, String toml) {
        return ModulesToml.read(location, new ByteArrayInputStream(toml.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    @Test
    void allKeys() {
        List<RouteConfig> routes = read("""
                [[module]]
                route = "/static/..."
                module = "wasm/fileserver.wasm"
                entrypoint = "serve"
                argv = "${SCRIPT_NAME} ${ARGS}"
                volumes = { "/" = "static/", "/data" = "/srv/data" }
                """);
        assertEquals(1, routes.size());
        RouteConfig route = routes.get(0);
        assertEquals(RoutePattern.parse("/static/..."), route.route());
        assertEquals(new Location.HostFile(dir.resolve("conf/wasm/fileserver.wasm")), route.module());
        assertEquals("serve", route.entrypoint());
        assertEquals(Optional.of("${SCRIPT_NAME} ${ARGS}"), route.argv());
        assertEquals(Map.of(
                "/", readOnly(new Location.HostFile(dir.resolve("conf/static"))),
                "/data", readOnly(new Location.HostFile(Path.of("/srv/data")))), route.volumes());
        assertTrue(route.origin().contains(dir.resolve("conf/modules.toml").toString()), route.origin());
        assertTrue(route.origin().contains("[[module]] #1"), route.origin());
        assertTrue(route.origin().contains("/static/..."), route.origin());
    }

    @Test
    void volumesAsSubTable() {
        List<RouteConfig> routes = read("""
                [[module]]
                route = "/v"
                module = "v.wasm"
                [module.volumes]
                "/tmp" = "/var/tmp"
                """);
        assertEquals(Map.of("/tmp", readOnly(new Location.HostFile(Path.of("/var/tmp")))), routes.get(0).volumes());
    }

    @Test
    void defaultsForOptionalKeys() {
        RouteConfig route = read("""
                [[module]]
                route = "/"
                module = "hello.wasm"
                """).get(0);
        assertEquals("_start", route.entrypoint());
        assertEquals(Optional.empty(), route.argv());
        assertEquals(Map.of(), route.volumes());
    }

    @Test
    void severalEntriesInOrder() {
        List<RouteConfig> routes = read("""
                [[module]]
                route = "/b"
                module = "b.wasm"

                [[module]]
                route = "/a/..."
                module = "a.wasm"

                [[module]]
                route = "/c"
                module = "c.wasm"
                """);
        assertEquals(List.of("/b", "/a/...", "/c"), routes.stream().map(r -> r.route().text()).toList());
        assertTrue(routes.get(2).origin().contains("[[module]] #3"), routes.get(2).origin());
    }

    @Test
    void relativeModulePathResolvesAgainstTheTomlsFolder() {
        List<RouteConfig> routes = read("""
                [[module]]
                route = "/a"
                module = "hello.wasm"
                [[module]]
                route = "/b"
                module = "../wasm/hello.wasm"
                [[module]]
                route = "/c"
                module = "./sub/hello.wasm"
                """);
        assertEquals(new Location.HostFile(dir.resolve("conf/hello.wasm")), routes.get(0).module());
        assertEquals(new Location.HostFile(dir.resolve("wasm/hello.wasm")), routes.get(1).module());
        assertEquals(new Location.HostFile(dir.resolve("conf/sub/hello.wasm")), routes.get(2).module());
    }

    @Test
    void relativeModulePathInAWebappToml() {
        List<RouteConfig> routes = ModulesToml.read(new Location.WebappResource("/WEB-INF/modules.toml"),
                new ByteArrayInputStream("""
                        [[module]]
                        route = "/a"
                        module = "wasm/hello.wasm"
                        volumes = { "/data" = "data" }
                        """.getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Location.WebappResource("/WEB-INF/wasm/hello.wasm"), routes.get(0).module());
        assertEquals(Map.of("/data", readOnly(new Location.WebappResource("/WEB-INF/data"))), routes.get(0).volumes());
    }

    @Test
    void webInfModuleIsAWebappResource() {
        RouteConfig route = read("""
                [[module]]
                route = "/x"
                module = "/WEB-INF/x.wasm"
                """).get(0);
        assertEquals(new Location.WebappResource("/WEB-INF/x.wasm"), route.module());
    }

    @Test
    void absoluteAndFileUrlModulesAreHostFiles() {
        List<RouteConfig> routes = read("""
                [[module]]
                route = "/a"
                module = "/opt/wasm/a.wasm"
                [[module]]
                route = "/b"
                module = "file:///opt/wasm/b.wasm"
                """);
        assertEquals(new Location.HostFile(Path.of("/opt/wasm/a.wasm")), routes.get(0).module());
        assertEquals(new Location.HostFile(Path.of("/opt/wasm/b.wasm")), routes.get(1).module());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bindle:example.com/hello/1.0.0", "ftp://example.com/hello.wasm"})
    void bindleAndUnknownSchemesAreRejectedNamingRouteAndKey(String module) {
        ConfigException e = fails("""
                [[module]]
                route = "/ok"
                module = "ok.wasm"

                [[module]]
                route = "/remote"
                module = "%s"
                """.formatted(module));
        assertMentions(e, "modules.toml", "[[module]] #2", "'/remote'", "key 'module'", module, "not supported");
    }

    @Test
    void unparseableTomlNamesFileAndLine() {
        ConfigException e = fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"
                this is not toml
                """);
        assertMentions(e, dir.resolve("conf/modules.toml").toString(), "not valid TOML", "line 4");
    }

    @Test
    void unterminatedStringNamesTheLine() {
        ConfigException e = fails("[[module]]\nroute = \"/a\nmodule = \"a.wasm\"\n");
        assertMentions(e, "modules.toml", "line 2");
    }

    @Test
    void missingModuleTables() {
        ConfigException e = fails("""
                default_host = "localhost:3000"
                """);
        assertMentions(e, "modules.toml", "[[module]]");
    }

    @Test
    void emptyFile() {
        ConfigException e = fails("");
        assertMentions(e, "modules.toml", "[[module]]");
    }

    @Test
    void moduleAsSingleTableIsRejected() {
        ConfigException e = fails("""
                [module]
                route = "/a"
                module = "a.wasm"
                """);
        assertMentions(e, "modules.toml", "'module'", "[[module]]");
    }

    @Test
    void entryMissingModuleNamesEntryNumberAndRoute() {
        ConfigException e = fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"

                [[module]]
                route = "/b"
                entrypoint = "b"
                """);
        assertMentions(e, "modules.toml", "[[module]] #2", "'/b'", "'module'", "missing");
    }

    @Test
    void entryMissingRouteNamesEntryNumber() {
        ConfigException e = fails("""
                [[module]]
                module = "a.wasm"
                """);
        assertMentions(e, "modules.toml", "[[module]] #1", "'route'", "missing");
    }

    @Test
    void routeOfWrongType() {
        ConfigException e = fails("""
                [[module]]
                route = 5
                module = "a.wasm"
                """);
        assertMentions(e, "modules.toml", "[[module]] #1", "'route'", "must be a string", "number");
    }

    @Test
    void moduleOfWrongType() {
        ConfigException e = fails("""
                [[module]]
                route = "/a"
                module = ["a.wasm"]
                """);
        assertMentions(e, "[[module]] #1", "'/a'", "'module'", "must be a string", "array");
    }

    @Test
    void argvAndEntrypointOfWrongType() {
        assertMentions(fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"
                argv = ["x", "y"]
                """), "'argv'", "must be a string");
        assertMentions(fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"
                entrypoint = true
                """), "'entrypoint'", "must be a string", "boolean");
    }

    @Test
    void emptyEntrypointIsRejected() {
        ConfigException e = fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"
                entrypoint = " "
                """);
        assertMentions(e, "'/a'", "'entrypoint'", "empty");
    }

    @Test
    void badRouteNamesTheKey() {
        ConfigException e = fails("""
                [[module]]
                route = "no-slash"
                module = "a.wasm"
                """);
        assertMentions(e, "modules.toml", "[[module]] #1", "'route'", "start with '/'");
    }

    @Test
    void volumesOfWrongShape() {
        assertMentions(fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"
                volumes = "/data"
                """), "'/a'", "'volumes'", "table");
        assertMentions(fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"
                volumes = { "/data" = 5 }
                """), "'/a'", "'volumes./data'", "must be a string");
        assertMentions(fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"
                volumes = { "data" = "/srv/data" }
                """), "'/a'", "'volumes.data'", "absolute", "'data'");
    }

    @Test
    void wagisOwnUnusedKeysAndTopLevelKeysAreOnlyWarned() {
        List<RouteConfig> routes = read("""
                default_host = "localhost:3000"

                [[module]]
                route = "/http"
                module = "http.wasm"
                bindle_server = "http://localhost:8080/v1"
                repository = "reserved"
                """);
        assertEquals(1, routes.size());
        assertEquals("/http", routes.get(0).route().text());
        assertEquals(new Location.HostFile(dir.resolve("conf/http.wasm")), routes.get(0).module());
        assertEquals(RouteConfig.OutboundHttp.NONE, routes.get(0).http());
    }

    /** One rule in every source: an unknown route key is a typo until proven otherwise, whatever its value. */
    @Test
    void anUnknownRouteKeyFailsWhateverItsValue() {
        for (String line : List.of("entrypiont = \"main\"", "retries = 3", "Allowed_Hosts = \"not our spelling\"", "features = [\"x\"]",
                "limits = { memory = \"64MiB\" }")) {
            ConfigException e = fails("""
                    [[module]]
                    route = "/a"
                    module = "a.wasm"
                    %s
                    """.formatted(line));
            assertMentions(e, "modules.toml", "'/a'", "unknown route key");
        }
    }

    @Test
    void referenceExampleWithLocalModules() {
        List<RouteConfig> routes = read("""
                [[module]]
                route = "/"
                module = "examples/hello.wat"                 # relative path

                [[module]]
                route = "/hello/..."
                module = "file:///abs/path/hello.wasm"

                [[module]]
                route = "/static/..."
                module = "fileserver.wasm"
                volumes = { "/" = "static/" }
                entrypoint = "_start"
                argv = "${SCRIPT_NAME} ${ARGS}"
                """);
        assertEquals(3, routes.size());
        assertEquals(new Location.HostFile(dir.resolve("conf/examples/hello.wat")), routes.get(0).module());
        assertEquals(new Location.HostFile(Path.of("/abs/path/hello.wasm")), routes.get(1).module());
        assertEquals("_start", routes.get(2).entrypoint());
    }

    @Test
    void unreadableStreamNamesTheFile() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        ConfigException e = assertThrows(ConfigException.class, () -> ModulesToml.read(tomlFile(), broken));
        assertMentions(e, "modules.toml");
    }

    // --- every key, in toml form --------------------------------------------------------------------

    private static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void everyKeyInTomlForm() {
        RouteConfig route = read("""
                [[module]]
                route = "/api/..."
                module = "api.wasm"
                sha256 = "%s"
                entrypoint = "handle"
                argv = "${SCRIPT_NAME} ${ARGS}"
                volumes = { "/data" = "data", "/cache" = "/var/cache/api" }
                writable_volumes = ["/cache"]
                environment = { API_KEY = "k", "lower_case" = "v", EMPTY = "" }
                methods = ["get", "POST"]
                hosts = ["Example.com", "api.example.com:8080"]
                allowed_hosts = ["https://api.brigade.sh", "insecure:allow-all"]
                http_max_concurrency = 2
                http_timeout = "10s"
                """.formatted(SHA.toUpperCase())).get(0);
        assertEquals(RoutePattern.parse("/api/..."), route.route());
        assertEquals(new Location.HostFile(dir.resolve("conf/api.wasm")), route.module());
        assertEquals(Optional.of(SHA), route.sha256());
        assertEquals("handle", route.entrypoint());
        assertEquals(Optional.of("${SCRIPT_NAME} ${ARGS}"), route.argv());
        assertEquals(Map.of(
                "/data", readOnly(new Location.HostFile(dir.resolve("conf/data"))),
                "/cache", new RouteConfig.Volume(new Location.HostFile(Path.of("/var/cache/api")), true)), route.volumes());
        assertEquals(Map.of("API_KEY", "k", "lower_case", "v", "EMPTY", ""), route.environment());
        assertEquals(Set.of("GET", "POST"), route.methods());
        assertEquals(Set.of("example.com", "api.example.com:8080"), route.hosts());
        assertEquals(new RouteConfig.OutboundHttp(List.of("https://api.brigade.sh", "insecure:allow-all"), OptionalInt.of(2),
                Optional.of(Duration.ofSeconds(10))), route.http());
    }

    @Test
    void environmentAsSubTable() {
        RouteConfig route = read("""
                [[module]]
                route = "/e"
                module = "e.wasm"
                [module.environment]
                DB_URL = "jdbc:postgresql://db/x"
                "WITH.DOT" = "d"
                """).get(0);
        assertEquals(Map.of("DB_URL", "jdbc:postgresql://db/x", "WITH.DOT", "d"), route.environment());
    }

    @Test
    void emptyArraysAreEmpty() {
        RouteConfig route = read("""
                [[module]]
                route = "/e"
                module = "e.wasm"
                allowed_hosts = []
                methods = []
                hosts = []
                """).get(0);
        assertEquals(List.of(), route.http().allowedHosts());
        assertEquals(Set.of(), route.methods());
        assertEquals(Set.of(), route.hosts());
    }

    @Test
    void httpMaxConcurrencyMustBePositive() {
        for (String value : List.of("0", "-1", "1.5", "\"abc\"")) {
            ConfigException e = fails("""
                    [[module]]
                    route = "/a"
                    module = "a.wasm"
                    http_max_concurrency = %s
                    """.formatted(value));
            assertMentions(e, "modules.toml", "[[module]] #1", "'/a'", "key 'http_max_concurrency'");
        }
    }

    @Test
    void badValuesOfNewKeysNameTheKey() {
        assertMentions(fails(entry("sha256 = \"abc\"")), "key 'sha256'", "64 hexadecimal digits");
        assertMentions(fails(entry("methods = [\"GE T\"]")), "key 'methods'", "'GE T'");
        assertMentions(fails(entry("hosts = [\"http://example.com\"]")), "key 'hosts'", "'http://example.com'");
        assertMentions(fails(entry("http_timeout = \"soon\"")), "key 'http_timeout'", "'soon'");
        assertMentions(fails(entry("writable_volumes = [\"/nope\"]")), "key 'writable_volumes'", "'/nope'");
        assertMentions(fails(entry("environment = { \"A=B\" = \"x\" }")), "key 'environment.A=B'");
        assertMentions(fails(entry("engine = \"v8\"")), "key 'engine'", "'v8'", "chicory", "wasmtime", "auto");
    }

    @Test
    void engineKeyChoosesTheRouteEngine() {
        assertEquals(Optional.of(RouteEngine.WASMTIME), read(Location.WEBAPP_ROOT, entry("engine = \"wasmtime\"")).get(0).engine());
        assertEquals(Optional.of(RouteEngine.AUTO), read(Location.WEBAPP_ROOT, entry("engine = \"Auto\"")).get(0).engine());
        assertEquals(Optional.of(RouteEngine.CHICORY), read(Location.WEBAPP_ROOT, entry("engine = \"chicory\"")).get(0).engine());
        assertEquals(Optional.empty(), read(Location.WEBAPP_ROOT, entry("")).get(0).engine());
    }

    private static String entry(String extraLine) {
        return """
                [[module]]
                route = "/a"
                module = "a.wasm"
                volumes = { "/data" = "data" }
                """ + extraLine + "\n";
    }

    // --- wrong types ----------------------------------------------------------------------------------

    @Test
    void routeAsNumberIsRejected() {
        assertMentions(fails("""
                [[module]]
                route = 5
                module = "a.wasm"
                """), "modules.toml", "[[module]] #1", "key 'route'", "must be a string", "number");
    }

    /** allowed_hosts is an array of strings in wagi; a number is a mistake, not an allow-list of "5". */
    @Test
    void allowedHostsAsNumberIsRejected() {
        ConfigException e = fails(entry("allowed_hosts = 5"));
        assertMentions(e, "'/a'", "key 'allowed_hosts'", "list of strings");
    }

    @Test
    void listKeysAsBooleanAreRejected() {
        for (String key : List.of("allowed_hosts", "methods", "hosts", "writable_volumes")) {
            ConfigException e = fails(entry(key + " = true"));
            assertMentions(e, "'/a'", "key '" + key + "'", "list of strings");
        }
    }

    @Test
    void listKeysAsTableAreRejected() {
        ConfigException e = fails(entry("allowed_hosts = { a = \"b\" }"));
        assertMentions(e, "'/a'", "key 'allowed_hosts'", "object");
    }

    @Test
    void volumesAsStringIsRejected() {
        assertMentions(fails(entry("").replace("volumes = { \"/data\" = \"data\" }", "volumes = \"x\"")),
                "'/a'", "key 'volumes'", "must be a table", "string");
    }

    @Test
    void environmentValuesMustBeStrings() {
        assertMentions(fails(entry("environment = { A = 5 }")), "'/a'", "key 'environment.A'", "must be a string", "number");
        assertMentions(fails(entry("environment = { A = true }")), "key 'environment.A'", "must be a string", "boolean");
        assertMentions(fails(entry("environment = { A = [\"x\"] }")), "key 'environment.A'", "must be a string", "array");
        assertMentions(fails(entry("environment = \"A=1\"")), "key 'environment'", "must be a table");
    }

    @Test
    void listItemsMustBeStrings() {
        assertMentions(fails(entry("methods = [\"GET\", 5]")), "'/a'", "key 'methods'", "string");
        assertMentions(fails(entry("allowed_hosts = [[\"x\"]]")), "key 'allowed_hosts'", "string");
    }

    @Test
    void listItemWithCommaIsRejected() {
        assertMentions(fails(entry("allowed_hosts = [\"https://a.example,https://b.example\"]")),
                "'/a'", "key 'allowed_hosts'", "','");
        assertMentions(fails(entry("methods = [\"GET,POST\"]")), "key 'methods'", "','");
        assertMentions(fails(entry("hosts = [\"a.example, b.example\"]")), "key 'hosts'", "','");
        assertMentions(fails(entry("writable_volumes = [\"/data,/x\"]")), "key 'writable_volumes'", "','");
    }

    @Test
    void stringKeysOfWrongType() {
        assertMentions(fails(entry("sha256 = 5")), "key 'sha256'", "must be a string");
        assertMentions(fails(entry("http_timeout = 10")), "key 'http_timeout'", "must be a string");
    }

    // --- module sources ---------------------------------------------------------------------------------

    @Test
    void httpsModuleIsARemoteUrl() {
        List<RouteConfig> routes = read("""
                [[module]]
                route = "/a"
                module = "https://example.com/wasm/a.wasm"
                sha256 = "%s"
                [[module]]
                route = "/b"
                module = "http://localhost:8080/b.wasm"
                """.formatted(SHA));
        assertEquals(new Location.RemoteUrl(URI.create("https://example.com/wasm/a.wasm")), routes.get(0).module());
        assertEquals(Optional.of(SHA), routes.get(0).sha256());
        assertEquals(new Location.RemoteUrl(URI.create("http://localhost:8080/b.wasm")), routes.get(1).module());
    }

    @Test
    void classpathModuleIsAClasspathResource() {
        RouteConfig route = read("""
                [[module]]
                route = "/a"
                module = "classpath:wasm/a.wasm"
                """).get(0);
        assertEquals(new Location.ClasspathResource("wasm/a.wasm"), route.module());
    }

    @Test
    void remoteOrClasspathVolumeIsRejected() {
        assertMentions(fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"
                volumes = { "/data" = "https://example.com/data" }
                """), "'/a'", "key 'volumes./data'", "directory");
        assertMentions(fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"
                volumes = { "/data" = "classpath:data" }
                """), "key 'volumes./data'", "directory");
    }

    @Test
    void relativeReferencesInAHostToml() {
        RouteConfig route = read("""
                [[module]]
                route = "/a"
                module = "../wasm/a.wasm"
                volumes = { "/data" = "data", "/up" = "../shared" }
                """).get(0);
        assertEquals(new Location.HostFile(dir.resolve("wasm/a.wasm")), route.module());
        assertEquals(Map.of(
                "/data", readOnly(new Location.HostFile(dir.resolve("conf/data"))),
                "/up", readOnly(new Location.HostFile(dir.resolve("shared")))), route.volumes());
    }

    @Test
    void relativeReferencesInAWebappToml() {
        RouteConfig route = read(new Location.WebappResource("/WEB-INF/conf/modules.toml"), """
                [[module]]
                route = "/a"
                module = "../wasm/a.wasm"
                volumes = { "/data" = "./data", "/abs" = "/srv/abs" }
                """).get(0);
        assertEquals(new Location.WebappResource("/WEB-INF/wasm/a.wasm"), route.module());
        assertEquals(Map.of(
                "/data", readOnly(new Location.WebappResource("/WEB-INF/conf/data")),
                "/abs", readOnly(new Location.HostFile(Path.of("/srv/abs")))), route.volumes());
    }

    @Test
    void webappTomlCannotReferToAFileAboveTheWebappRoot() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(new Location.WebappResource("/WEB-INF/modules.toml"), """
                [[module]]
                route = "/a"
                module = "../../a.wasm"
                """));
        assertMentions(e, "webapp:/WEB-INF/modules.toml", "'/a'", "key 'module'");
    }

    @Test
    void relativeReferencesInAClasspathToml() {
        RouteConfig route = read(new Location.ClasspathResource("wagi/modules.toml"), """
                [[module]]
                route = "/a"
                module = "wasm/a.wasm"
                """).get(0);
        assertEquals(new Location.ClasspathResource("wagi/wasm/a.wasm"), route.module());
    }

    @Test
    void relativeReferencesInARemoteToml() {
        RouteConfig route = read(new Location.RemoteUrl(URI.create("https://example.com/conf/modules.toml")), """
                [[module]]
                route = "/a"
                module = "wasm/a.wasm"
                """).get(0);
        assertEquals(new Location.RemoteUrl(URI.create("https://example.com/conf/wasm/a.wasm")), route.module());
    }
}
