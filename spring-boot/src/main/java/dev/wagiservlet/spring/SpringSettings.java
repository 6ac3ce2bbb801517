package dev.wagiservlet.spring;

import dev.wagiservlet.config.Setting;
import dev.wagiservlet.config.SystemSettings;
import dev.wagiservlet.config.WagiSettingsReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads the filter's settings from Spring's {@code Environment}: every {@code wagi.*} property of
 * every property source (application.properties and .yml, profile-specific files, command-line
 * arguments, {@code SPRING_APPLICATION_JSON}, test properties, ...) by the filter's keys
 * ({@code wagi.routes.hello.module} is {@code routes.hello.module}), the highest source first, as
 * Spring ranks them.
 *
 * <p>System properties and environment variables are read by the library's own reader
 * ({@link SystemSettings}) where Spring ranks them: Spring's relaxed binding would lower-case
 * {@code WAGI_ROUTES_A_ENVIRONMENT_API_KEY} into {@code api.key}, where the filter gives the module
 * {@code API_KEY}, as it does in a servlet container; and an unknown {@code WAGI_*} variable fails,
 * as it does there. YAML lists ({@code methods: [GET, POST]}) become the filter's comma lists, and
 * YAML map keys in brackets ({@code volumes: {"/data": dir}}) its dotted keys.
 */
final class SpringSettings {

    static final String PREFIX = "wagi.";

    /** {@code name[3]}: a list element; {@code name[/data]}: a map key that is no plain name. */
    private static final Pattern INDEXED = Pattern.compile("^(.*)\\[([^\\]]*)\\]$");

    private SpringSettings() {}

    /** The settings by the filter's canonical keys; the first source that names a key gives its value. */
    static Map<String, Setting> read(ConfigurableEnvironment environment) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(source.getName())) {
                SystemSettings.read(strings(source), Map.of()).forEach(settings::putIfAbsent);
            } else if (StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName())) {
                SystemSettings.read(Map.of(), strings(source)).forEach(settings::putIfAbsent);
            } else if (source instanceof EnumerablePropertySource<?> enumerable) {
                fromSource(enumerable, environment).forEach(settings::putIfAbsent);
            }
        }
        return settings;
    }

    /** Whether the environment configures a route: {@code wagi.routes.*}, {@code wagi.modules-toml} or their variables. */
    static boolean configuresRoutes(ConfigurableEnvironment environment) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith("WAGI_ROUTES_") || name.equals("WAGI_MODULES_TOML")) {
                        return true;
                    }
                    if (name.startsWith(PREFIX)) {
                        String key = WagiSettingsReader.canonical(name.substring(PREFIX.length()));
                        if (key.startsWith("routes.") || key.equals("modules_toml")) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static Map<String, Setting> fromSource(EnumerablePropertySource<?> source, ConfigurableEnvironment environment) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, String>> lists = new LinkedHashMap<>();
        for (String name : source.getPropertyNames()) {
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            Object raw = source.getProperty(name);
            String value = raw == null ? "" : environment.resolvePlaceholders(raw.toString());
            String property = name;
            Matcher indexed = INDEXED.matcher(name);
            if (indexed.matches()) {
                if (indexed.group(2).chars().allMatch(Character::isDigit) && !indexed.group(2).isEmpty()) {
                    lists.computeIfAbsent(indexed.group(1), list -> new TreeMap<>()).put(Integer.valueOf(indexed.group(2)), value);
                    continue;
                }
                property = indexed.group(1) + "." + indexed.group(2);
            }
            settings.put(key(property), new Setting(value.trim(), where(property, source)));
        }
        lists.forEach((property, values) ->
                settings.put(key(property), new Setting(String.join(",", values.values()).trim(), where(property, source))));
        return settings;
    }

    private static String key(String property) {
        return WagiSettingsReader.canonical(property.substring(PREFIX.length()));
    }

    private static String where(String property, PropertySource<?> source) {
        return "Spring property '" + property + "' (" + source.getName() + ")";
    }

    private static Map<String, String> strings(PropertySource<?> source) {
        Map<String, String> strings = new TreeMap<>();
        if (source instanceof EnumerablePropertySource<?> enumerable) {
            for (String name : enumerable.getPropertyNames()) {
                Object value = enumerable.getProperty(name);
                if (value != null) {
                    strings.put(name, value.toString());
                }
            }
        }
        return strings;
    }
}
