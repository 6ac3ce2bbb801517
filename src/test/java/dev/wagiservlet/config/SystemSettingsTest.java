package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.routing.RoutePattern;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Settings read without MicroProfile Config: from maps standing for the system properties and the environment. */
class SystemSettingsTest {

    @Test
    void nothingConfigured() {
        assertEquals(Map.of(), SystemSettings.read(Map.of("java.home", "/jdk", "wagix.engine", "x", "Wagi.engine", "x"),
                Map.of("PATH", "/bin", "WAGIX_ENGINE", "x", "wagi_engine", "x")));
    }

    @Test
    void propertiesAndVariablesByCanonicalKey() {
        Map<String, Setting> settings = SystemSettings.read(
                Map.of("wagi.routes.hello.route", "/hello", "wagi.routes.hello.allowed-hosts", "https://a.example",
                        "wagi.routes.hello.volumes./my-data", "/srv/data", "wagi.environment.API-KEY", "k"),
                Map.of("WAGI_ROUTES_HELLO_MODULE", " /opt/h.wasm ", "WAGI_ENVIRONMENT_DB_URL", "jdbc:x",
                        "WAGI_MODULES_TOML", "/m.toml"));
        assertEquals(Set.of("routes.hello.route", "routes.hello.allowed_hosts", "routes.hello.volumes./my-data", "environment.API-KEY",
                "routes.hello.module", "environment.DB_URL", "modules_toml"), settings.keySet());
        assertEquals("/opt/h.wasm", settings.get("routes.hello.module").value());
        assertEquals("environment variable WAGI_ROUTES_HELLO_MODULE", settings.get("routes.hello.module").where());
        assertEquals("system property 'wagi.routes.hello.route'", settings.get("routes.hello.route").where());

        settings.remove("modules_toml"); // a file this test does not have
        WagiSettings read = WagiSettingsReader.read(settings, "system properties");
        RouteConfig route = read.routes().get(0);
        assertEquals(RoutePattern.parse("/hello"), route.route());
        assertEquals(new Location.HostFile(Path.of("/opt/h.wasm")), route.module());
        assertEquals(List.of("https://a.example"), route.http().allowedHosts());
    }

    @Test
    void aSystemPropertyWinsOverAnEnvironmentVariable() {
        Map<String, Setting> settings = SystemSettings.read(
                Map.of("wagi.modules-toml", "/from/property.toml", "wagi.routes.my-app.module", "/p.wasm"),
                Map.of("WAGI_MODULES_TOML", "/from/env.toml", "WAGI_ROUTES_MY_APP_MODULE", "/e.wasm", "WAGI_ENGINE", "interpreter"));
        assertEquals(Set.of("modules_toml", "routes.my-app.module", "engine"), settings.keySet());
        assertEquals("/from/property.toml", settings.get("modules_toml").value());
        assertEquals("/p.wasm", settings.get("routes.my-app.module").value());
        assertEquals("interpreter", settings.get("engine").value());
    }

    /** The same rule, and message, as with MicroProfile Config: a typo fails the deployment, naming the variable. */
    @Test
    void anUnknownEnvironmentVariableFailsAsWithMicroProfileConfig() {
        ConfigException typo = assertThrows(ConfigException.class,
                () -> SystemSettings.read(Map.of(), Map.of("WAGI_ROUTES_HELLO_MODUEL", "x")));
        assertTrue(typo.getMessage().startsWith("environment variable WAGI_ROUTES_HELLO_MODUEL: unknown route key"), typo.getMessage());
        ConfigException volumes = assertThrows(ConfigException.class,
                () -> SystemSettings.read(Map.of(), Map.of("WAGI_ROUTES_HELLO_VOLUMES_DATA", "/srv")));
        assertTrue(volumes.getMessage().contains("volumes.GUEST_PATH cannot be written as an environment variable"), volumes.getMessage());
        ConfigException other = assertThrows(ConfigException.class, () -> SystemSettings.read(Map.of(), Map.of("WAGI_FOO", "x")));
        assertTrue(other.getMessage().startsWith("environment variable WAGI_FOO: not a wagi-servlet setting"), other.getMessage());
    }

    @Test
    void anUnknownPropertyFailsNamingIt() {
        Map<String, Setting> settings = SystemSettings.read(Map.of("wagi.routes.hello.moduel", "x", "wagi.routes.hello.route", "/h",
                "wagi.routes.hello.module", "/h.wasm"), Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> WagiSettingsReader.read(settings, "system properties"));
        assertTrue(e.getMessage().startsWith("system property 'wagi.routes.hello.moduel'"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown"), e.getMessage());
    }

    @Test
    void badValuesNameTheirSource() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> WagiSettingsReader.read(SystemSettings.read(Map.of(), Map.of("WAGI_RELOAD_INTERVAL", "soon")), "x"));
        assertTrue(e.getMessage().startsWith("environment variable WAGI_RELOAD_INTERVAL"), e.getMessage());
        assertTrue(e.getMessage().contains("'soon'"), e.getMessage());
    }

    @Test
    void emptyValuesAreNoValues() {
        assertEquals(Map.of(), SystemSettings.read(Map.of("wagi.engine", ""), Map.of("WAGI_ENGINE", "")));
        assertEquals("interpreter", SystemSettings.read(Map.of("wagi.engine", ""), Map.of("WAGI_ENGINE", "interpreter")).get("engine").value());
    }

    @Test
    void theReadersAgreeOnWhatTheMessageNames() {
        assertTrue(SystemSettings.WITHOUT_MICROPROFILE.contains("microprofile-config.properties"));
        assertTrue(SystemSettings.WITHOUT_MICROPROFILE.contains("smallrye-config"));
    }
}
