package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Init-params (web.xml) to settings by canonical key; what the keys mean is {@link WagiSettingsReaderTest}'s. */
class InitParametersTest {

    private static final String ORIGIN = "web.xml filter 'wagi'";

    private static Map<String, String> params(String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    @Test
    void noParams() {
        assertEquals(Map.of(), InitParameters.read(Map.of(), ORIGIN));
    }

    @Test
    void eachParamIsASettingNamingItsParam() {
        Map<String, Setting> settings = InitParameters.read(params(
                "modules-toml", " /WEB-INF/modules.toml ",
                "routes.hello.route", "/hello",
                "routes.hello.allowed-hosts", "https://a.example"), ORIGIN);
        assertEquals(Map.of(
                "modules_toml", new Setting("/WEB-INF/modules.toml", ORIGIN + ", init-param 'modules-toml'"),
                "routes.hello.route", new Setting("/hello", ORIGIN + ", init-param 'routes.hello.route'"),
                "routes.hello.allowed_hosts", new Setting("https://a.example", ORIGIN + ", init-param 'routes.hello.allowed-hosts'")),
                settings);
    }

    @Test
    void keepsTheOrderOfTheParams() {
        Map<String, Setting> settings = InitParameters.read(params("engine", "compiler", "routes.b.route", "/b", "modules-toml", "x"), ORIGIN);
        assertEquals(List.of("engine", "routes.b.route", "modules_toml"), List.copyOf(settings.keySet()));
    }

    @Test
    void valuesAreTrimmed() {
        Map<String, Setting> settings = InitParameters.read(params("engine", "\n   interpreter\n  "), ORIGIN);
        assertEquals("interpreter", settings.get("engine").value());
    }

    @Test
    void nullValueIsEmpty() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("routes.a.argv", null);
        assertEquals(new Setting("", ORIGIN + ", init-param 'routes.a.argv'"), InitParameters.read(params, ORIGIN).get("routes.a.argv"));
    }

    /** The reader does not judge keys: unknown ones reach WagiSettingsReader, which fails naming them. */
    @Test
    void unknownKeysArePassedOn() {
        Map<String, Setting> settings = InitParameters.read(params("modules.toml", "x"), ORIGIN);
        assertEquals(new Setting("x", ORIGIN + ", init-param 'modules.toml'"), settings.get("modules.toml"));
    }

    @ParameterizedTest
    @CsvSource({
        "modules-toml, modules_toml",
        "health-route, health_route",
        "reload-interval, reload_interval",
        "module-cache-dir, module_cache_dir",
        "routes.a.allowed-hosts, routes.a.allowed_hosts",
        "routes.a.http-max-concurrency, routes.a.http_max_concurrency",
        "routes.a.writable-volumes, routes.a.writable_volumes",
        "routes.a.http-timeout, routes.a.http_timeout"})
    void keysDifferingOnlyInDashAndUnderscoreAreTheSameKey(String dashed, String underscored) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> InitParameters.read(params(dashed, "1", underscored, "2"), ORIGIN));
        assertTrue(e.getMessage().startsWith(ORIGIN + ", init-param '" + underscored + "': "), e.getMessage());
        assertMentions(e, "the same key as", "'" + dashed + "'");
    }

    @Test
    void theSameKeyMessageNamesBothParamsInEitherOrder() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> InitParameters.read(params("routes.x.allowed_hosts", "a", "routes.x.allowed-hosts", "b"), ORIGIN));
        assertMentions(e, ORIGIN, "'routes.x.allowed-hosts'", "'routes.x.allowed_hosts'", "the same key");
    }

    @Test
    void dashInARouteNameOrAfterAMapKeyIsSignificant() {
        Map<String, Setting> settings = InitParameters.read(params(
                "routes.a.volumes./my-data", "/a",
                "routes.a.volumes./my_data", "/b",
                "routes.a.environment.A-B", "1",
                "routes.a.environment.A_B", "2",
                "environment.X-Y", "3",
                "environment.X_Y", "4",
                "routes.my-app.route", "/m",
                "routes.my_app.route", "/n"), ORIGIN);
        assertEquals(8, settings.size(), settings.toString());
        assertEquals("/a", settings.get("routes.a.volumes./my-data").value());
        assertEquals("/b", settings.get("routes.a.volumes./my_data").value());
        assertEquals("1", settings.get("routes.a.environment.A-B").value());
        assertEquals("2", settings.get("routes.a.environment.A_B").value());
        assertEquals("3", settings.get("environment.X-Y").value());
        assertEquals("4", settings.get("environment.X_Y").value());
        assertEquals("/m", settings.get("routes.my-app.route").value());
        assertEquals("/n", settings.get("routes.my_app.route").value());
    }
}
