package dev.wagiservlet.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.Setting;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class SpringSettingsTest {

    /** An environment with the given system properties, variables and (lowest) an application.yml-like source. */
    private static StandardEnvironment environment(Map<String, Object> properties, Map<String, Object> variables,
            Map<String, Object> file) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, properties));
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        sources.addLast(new MapPropertySource("Config resource 'class path resource [application.yml]'", file));
        return environment;
    }

    @Test
    void keysListsAndBracketedMapKeysOfAYamlFile() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("wagi.routes.hello.route", "/hello");
        file.put("wagi.routes.hello.max-memory", "64MiB");
        file.put("wagi.routes.hello.methods[1]", "POST");
        file.put("wagi.routes.hello.methods[0]", "GET");
        file.put("wagi.routes.hello.volumes[/data]", "/srv/data");
        file.put("wagi.modules-toml", "${base}/modules.toml");
        file.put("base", "/etc/wagi");
        file.put("other.key", "x");
        Map<String, Setting> settings = SpringSettings.read(environment(Map.of(), Map.of(), file));
        assertEquals("/hello", settings.get("routes.hello.route").value());
        assertEquals("GET,POST", settings.get("routes.hello.methods").value());
        assertEquals("/srv/data", settings.get("routes.hello.volumes./data").value());
        assertEquals("/etc/wagi/modules.toml", settings.get("modules_toml").value(), "placeholders resolved");
        assertEquals("Spring property 'wagi.routes.hello.route' (Config resource 'class path resource [application.yml]')",
                settings.get("routes.hello.route").where());
        assertEquals(5, settings.size(), settings.toString());
    }

    @Test
    void propertyOverVariableOverFileAndTheVariablesCaseKept() {
        Map<String, Setting> settings = SpringSettings.read(environment(
                Map.of("wagi.routes.a.environment.WHAT", "property"),
                Map.of("WAGI_ROUTES_A_ENVIRONMENT_WHAT", "variable", "WAGI_ROUTES_A_ENVIRONMENT_API_KEY", "k"),
                Map.of("wagi.routes.a.route", "/a", "wagi.routes.a.environment.WHAT", "file")));
        assertEquals("property", settings.get("routes.a.environment.WHAT").value());
        assertEquals("k", settings.get("routes.a.environment.API_KEY").value(), "not api.key, as Spring's relaxed binding would have it");
        assertEquals("environment variable WAGI_ROUTES_A_ENVIRONMENT_API_KEY", settings.get("routes.a.environment.API_KEY").where());
        assertEquals("/a", settings.get("routes.a.route").value());
    }

    @Test
    void anUnknownWagiVariableFailsNamingIt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SpringSettings.read(environment(Map.of(), Map.of("WAGI_NO_SUCH", "1"), Map.of())));
        assertTrue(e.getMessage().contains("WAGI_NO_SUCH"), e.getMessage());
    }

    @Test
    void routesConfiguredOrNot() {
        assertFalse(SpringSettings.configuresRoutes(environment(Map.of(), Map.of(), Map.of("wagi.engine", "interpreter"))));
        assertTrue(SpringSettings.configuresRoutes(environment(Map.of(), Map.of(), Map.of("wagi.routes.a.route", "/a"))));
        assertTrue(SpringSettings.configuresRoutes(environment(Map.of(), Map.of(), Map.of("wagi.modules-toml", "m.toml"))));
        assertTrue(SpringSettings.configuresRoutes(environment(Map.of(), Map.of("WAGI_MODULES_TOML", "m.toml"), Map.of())));
        assertTrue(SpringSettings.configuresRoutes(environment(Map.of(), Map.of("WAGI_ROUTES_A_ROUTE", "/a"), Map.of())));
    }
}
