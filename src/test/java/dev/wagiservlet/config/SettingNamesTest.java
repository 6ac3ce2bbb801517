package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The names of settings outside web.xml, shared by the MicroProfile Config and the plain reader. */
class SettingNamesTest {

    // --- WAGI_* environment variable names ---------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "MODULES_TOML, modules_toml",
        "ENGINE, engine",
        "HEALTH_ROUTE, health_route",
        "RELOAD_INTERVAL, reload_interval",
        "MODULE_CACHE_DIR, module_cache_dir",
        "MAX_TOTAL_MEMORY, max_total_memory",
        "ENVIRONMENT_API_KEY, environment.API_KEY",
        "ENVIRONMENT_X, environment.X",
        "ENVIRONMENT_lower, environment.lower",
        "ROUTES_HELLO_MODULE, routes.hello.module",
        "ROUTES_HELLO_ROUTE, routes.hello.route",
        "ROUTES_HELLO_SHA256, routes.hello.sha256",
        "ROUTES_HELLO_ENTRYPOINT, routes.hello.entrypoint",
        "ROUTES_HELLO_ARGV, routes.hello.argv",
        "ROUTES_HELLO_WRITABLE_VOLUMES, routes.hello.writable_volumes",
        "ROUTES_HELLO_METHODS, routes.hello.methods",
        "ROUTES_HELLO_HOSTS, routes.hello.hosts",
        "ROUTES_HELLO_ALLOWED_HOSTS, routes.hello.allowed_hosts",
        "ROUTES_HELLO_HTTP_MAX_CONCURRENCY, routes.hello.http_max_concurrency",
        "ROUTES_HELLO_HTTP_TIMEOUT, routes.hello.http_timeout",
        "ROUTES_MY_APP_ALLOWED_HOSTS, routes.my_app.allowed_hosts",
        "ROUTES_MY_APP_HOSTS, routes.my_app.hosts",
        "ROUTES_MY_APP_MODULE, routes.my_app.module",
        "ROUTES_MY_ROUTE_ROUTE, routes.my_route.route",
        "ROUTES_A_B_C_HTTP_TIMEOUT, routes.a_b_c.http_timeout",
        "ROUTES_X_ENVIRONMENT_DB_URL, routes.x.environment.DB_URL",
        "ROUTES_HELLO_ENVIRONMENT_API_KEY, routes.hello.environment.API_KEY",
        "ROUTES_MY_APP_ENVIRONMENT_X, routes.my_app.environment.X",
        "ROUTES_2_MODULE, routes.2.module"})
    void fromEnvironmentName(String name, String key) {
        assertEquals(key, SettingNames.fromEnvironmentName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "FOO", "MODULES", "MODULES_TOML_X", "modules_toml", "ENVIRONMENT", "ENVIRONMENT_", "ROUTES",
            "ROUTES_", "ROUTES_MODULE", "ROUTES_HELLO", "ROUTES_HELLO_VOLUMES", "ROUTES_HELLO_VOLUMES_DATA", "ROUTES_HELLO_UNKNOWN",
            "ROUTES_X_ENVIRONMENT_", "ROUTES__MODULE", "ROUTE_HELLO_MODULE", "ROUTES_HELLO_module"})
    void fromEnvironmentNameOfNoSettingIsNull(String name) {
        assertNull(SettingNames.fromEnvironmentName(name));
    }

    @Test
    void longestRouteKeyWinsOverItsSuffix() {
        // ALLOWED_HOSTS ends with HOSTS; the route is my_app, not my_app_allowed
        assertEquals("routes.my_app.allowed_hosts", SettingNames.fromEnvironmentName("ROUTES_MY_APP_ALLOWED_HOSTS"));
        assertEquals("routes.allowed_hosts.hosts", SettingNames.fromEnvironmentName("ROUTES_ALLOWED_HOSTS_HOSTS"));
        assertEquals("routes.hosts.allowed_hosts", SettingNames.fromEnvironmentName("ROUTES_HOSTS_ALLOWED_HOSTS"));
        // HTTP_MAX_CONCURRENCY and HTTP_TIMEOUT are keys; the route is x, not x_http
        assertEquals("routes.x.http_timeout", SettingNames.fromEnvironmentName("ROUTES_X_HTTP_TIMEOUT"));
    }

    @Test
    void everyRouteKeyHasAnEnvironmentName() {
        List<String> keys = new ArrayList<>(List.of("route", "module", "sha256", "entrypoint", "argv", "writable_volumes", "methods",
                "hosts", "allowed_hosts", "http_max_concurrency", "http_timeout"));
        keys.addAll(Limits.KEYS);
        for (String key : keys) {
            assertEquals("routes.r.%s".formatted(key), SettingNames.fromEnvironmentName("ROUTES_R_" + key.toUpperCase()));
        }
    }

    @Test
    void everyLimitHasAGlobalEnvironmentName() {
        for (String key : Limits.KEYS) {
            assertEquals(key, SettingNames.fromEnvironmentName(key.toUpperCase()));
        }
    }

    @Test
    void environmentFormOfAProperty() {
        assertEquals("WAGI_ROUTES_MY_APP_MODULE", SettingNames.environmentForm("wagi.routes.my-app.module"));
        assertEquals("WAGI_MODULES_TOML", SettingNames.environmentForm("wagi.modules-toml"));
    }
}
