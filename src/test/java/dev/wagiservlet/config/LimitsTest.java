package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every limit has its default, can be set for all routes and per route, and a bad value names its key. */
class LimitsTest {

    private static final String ORIGIN = "web.xml filter 'wagi'";

    private static WagiSettings read(String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return WagiSettingsReader.read(InitParameters.read(params, ORIGIN), ORIGIN);
    }

    @Test
    void defaults() {
        Limits limits = read().limits();
        assertEquals(Limits.DEFAULTS, limits);
        assertEquals(Duration.ofSeconds(30), limits.timeout());
        assertEquals(256L << 20, limits.maxMemory());
        assertEquals(0, limits.maxOutputSize());
        assertEquals(16 << 10, limits.maxStderrSize());
        assertEquals(100, limits.maxStderrLines());
    }

    @Test
    void globalAndPerRouteStderrCaps() {
        WagiSettings settings = read("max-stderr-size", "1KiB", "max_stderr_lines", "7",
                "routes.a.route", "/a", "routes.a.module", "/opt/a.wasm", "routes.a.max-stderr-lines", "3",
                "routes.b.route", "/b", "routes.b.module", "/opt/b.wasm", "routes.b.max_stderr_size", "100");
        assertEquals(1024, settings.limits().maxStderrSize());
        assertEquals(7, settings.limits().maxStderrLines());
        Limits a = settings.routes().get(0).limits(settings.limits());
        assertEquals(1024, a.maxStderrSize());
        assertEquals(3, a.maxStderrLines());
        Limits b = settings.routes().get(1).limits(settings.limits());
        assertEquals(100, b.maxStderrSize());
        assertEquals(7, b.maxStderrLines());
    }

    @Test
    void everyLimitKeyIsKnownGloballyAndPerRoute() {
        for (String key : Limits.KEYS) {
            String value = key.equals("timeout") ? "5s" : "5";
            read(key.replace('_', '-'), value);
            read("routes.a.route", "/a", "routes.a.module", "/opt/a.wasm", "routes.a." + key, value);
            assertTrue(RouteReader.isKnown(key), key);
        }
    }

    @ParameterizedTest
    @CsvSource({"max-stderr-size, 0", "max-stderr-size, -1", "max-stderr-size, lots", "max-stderr-lines, 0",
            "max-stderr-lines, 1.5", "max-stderr-lines, many"})
    void badStderrCapsNameTheKey(String key, String value) {
        ConfigException global = assertThrows(ConfigException.class, () -> read(key, value));
        assertTrue(global.getMessage().startsWith(ORIGIN + ", init-param '" + key + "': "), global.getMessage());
        ConfigException route = assertThrows(ConfigException.class,
                () -> read("routes.a.route", "/a", "routes.a.module", "/opt/a.wasm", "routes.a." + key, value));
        assertTrue(route.getMessage().contains("'routes.a." + key + "'"), route.getMessage());
    }

    @Test
    void unknownKeyMessagesListTheStderrCaps() {
        ConfigException global = assertThrows(ConfigException.class, () -> read("max-stderr", "1"));
        assertTrue(global.getMessage().contains("max-stderr-size, max-stderr-lines"), global.getMessage());
        ConfigException route = assertThrows(ConfigException.class,
                () -> read("routes.a.route", "/a", "routes.a.module", "/opt/a.wasm", "routes.a.max_stderr", "1"));
        assertTrue(route.getMessage().contains("max_stderr_size, max_stderr_lines"), route.getMessage());
    }
}
