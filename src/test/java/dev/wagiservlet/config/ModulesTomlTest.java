package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.routing.RoutePattern;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
                "/", new Location.HostFile(dir.resolve("conf/static")),
                "/data", new Location.HostFile(Path.of("/srv/data"))), route.volumes());
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
        assertEquals(Map.of("/tmp", new Location.HostFile(Path.of("/var/tmp"))), routes.get(0).volumes());
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
        assertEquals(Map.of("/data", new Location.WebappResource("/WEB-INF/data")), routes.get(0).volumes());
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
    @ValueSource(strings = {"oci:ghcr.io/example/fileserver:1.0", "bindle:example.com/hello/1.0.0", "https://example.com/hello.wasm"})
    void remoteModulesAreRejectedNamingRouteAndKey(String module) {
        ConfigException e = fails("""
                [[module]]
                route = "/ok"
                module = "ok.wasm"

                [[module]]
                route = "/remote"
                module = "%s"
                """.formatted(module));
        assertMentions(e, "modules.toml", "[[module]] #2", "'/remote'", "'module'", module);
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
                """), "'volumes'", "'/data'", "must be a string");
        assertMentions(fails("""
                [[module]]
                route = "/a"
                module = "a.wasm"
                volumes = { "data" = "/srv/data" }
                """), "'volumes'", "absolute", "'data'");
    }

    @Test
    void unknownAndNotYetSupportedKeysAreIgnored() {
        List<RouteConfig> routes = read("""
                default_host = "localhost:3000"

                [[module]]
                route = "/http"
                module = "http.wasm"
                allowed_hosts = ["https://api.example.com"]
                http_max_concurrency = 2
                bindle_server = "http://localhost:8080/v1"
                repository = "reserved"
                """);
        assertEquals(1, routes.size());
        assertEquals("/http", routes.get(0).route().text());
        assertEquals(new Location.HostFile(dir.resolve("conf/http.wasm")), routes.get(0).module());
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
}
