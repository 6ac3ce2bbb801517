package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.routing.RoutePattern;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The settings of the status page: status-route (off by default) and status-role (default wagi-admin). */
class StatusSettingsTest {

    private static final String ORIGIN = "web.xml filter 'wagi'";

    private static WagiSettings read(String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return WagiSettingsReader.read(InitParameters.read(params, ORIGIN), ORIGIN);
    }

    @Test
    void offByDefaultWithTheDefaultRole() {
        WagiSettings settings = read();
        assertEquals(Optional.empty(), settings.statusRoute());
        assertEquals("wagi-admin", settings.statusRole());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/wagi-status", "/admin/status/...", " /wagi-status "})
    void statusRoute(String route) {
        assertEquals(Optional.of(RoutePattern.parse(route.trim())), read("status-route", route).statusRoute());
        assertEquals(Optional.of(RoutePattern.parse(route.trim())), read("status_route", route).statusRoute());
    }

    @ParameterizedTest
    @ValueSource(strings = {"wagi-status", "/st atus", "/a?b", "/.../x", ""})
    void badStatusRouteNamesTheKey(String route) {
        ConfigException e = assertThrows(ConfigException.class, () -> read("status-route", route));
        assertTrue(e.getMessage().startsWith(ORIGIN + ", init-param 'status-route': "), e.getMessage());
    }

    @Test
    void statusRole() {
        assertEquals("ops", read("status-role", " ops ").statusRole());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "two words", "*", "**"})
    void badStatusRoleNamesTheKey(String role) {
        ConfigException e = assertThrows(ConfigException.class, () -> read("status-role", role));
        assertTrue(e.getMessage().startsWith(ORIGIN + ", init-param 'status-role': "), e.getMessage());
    }

    @Test
    void unknownKeyMessageListsTheStatusKeys() {
        ConfigException e = assertThrows(ConfigException.class, () -> read("status-rout", "/s"));
        assertTrue(e.getMessage().contains("status-route, status-role"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"STATUS_ROUTE, status_route", "STATUS_ROLE, status_role"})
    void environmentVariables(String variable, String key) {
        assertEquals(key, SettingNames.fromEnvironmentName(variable));
    }
}
