package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BackgroundCompileSettingTest {

    private static WagiSettings read(Map<String, String> params) {
        return WagiSettingsReader.read(InitParameters.read(params, "web.xml filter 'wagi'"), "web.xml filter 'wagi'");
    }

    @Test
    void offByDefault() {
        assertEquals(0, read(Map.of()).backgroundCompileSize());
    }

    @Test
    void aSizeInEitherSpelling() {
        assertEquals(8L << 20, read(Map.of("background-compile-size", "8MiB")).backgroundCompileSize());
        assertEquals(1_000_000, read(Map.of("background_compile_size", "1MB")).backgroundCompileSize());
        assertEquals("background_compile_size", SettingNames.fromEnvironmentName("BACKGROUND_COMPILE_SIZE"));
    }

    @Test
    void aBadSizeNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("background-compile-size", "big")));
        assertTrue(e.getMessage().contains("init-param 'background-compile-size'") && e.getMessage().contains("not a size"), e.getMessage());
    }
}
