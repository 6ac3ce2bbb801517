package dev.wagiservlet.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads WAGI settings from {@code wagi.*} JVM system properties and {@code WAGI_*} environment
 * variables when the webapp has no MicroProfile Config implementation, as in a webapp of one's own
 * that declares only the wagi-servlet dependency (MicroProfile Config and SmallRye are optional
 * dependencies). The names, keys, precedence (a system property over an environment variable),
 * messages and strictness (an unknown {@code wagi.*} or {@code WAGI_*} name fails) are those of
 * {@link MicroProfileSettings}, through {@link SettingNames}; only the other config sources, such
 * as {@code META-INF/microprofile-config.properties}, are not read.
 */
public final class SystemSettings {

    /** What the filter logs once at startup when it reads settings this way. */
    public static final String WITHOUT_MICROPROFILE = "MicroProfile Config is not on the webapp's class path: wagi.* system"
            + " properties and WAGI_* environment variables are read directly, but META-INF/microprofile-config.properties"
            + " and other config sources are not; to read them, add org.eclipse.microprofile.config:microprofile-config-api"
            + " and an implementation, e.g. io.smallrye.config:smallrye-config, to the webapp";

    private SystemSettings() {}

    /** The settings from this JVM's system properties and environment. */
    public static Map<String, Setting> fromSystem() {
        Properties system = System.getProperties();
        Map<String, String> properties = new TreeMap<>();
        for (String name : system.stringPropertyNames()) {
            properties.put(name, system.getProperty(name));
        }
        return read(properties, System.getenv());
    }

    /**
     * The WAGI settings by canonical key.
     *
     * @param properties system properties by name (only {@code wagi.*} ones are read)
     * @param environment environment variables by name (only {@code WAGI_*} ones are read)
     */
    public static Map<String, Setting> read(Map<String, String> properties, Map<String, String> environment) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        Set<String> mapped = new HashSet<>();
        for (Map.Entry<String, String> property : new TreeMap<>(properties).entrySet()) {
            String name = property.getKey();
            if (name.startsWith(SettingNames.PROPERTY_PREFIX) && !property.getValue().isEmpty()) {
                // as in MicroProfile Config, a property's environment form names the same setting
                mapped.add(SettingNames.environmentForm(name));
                put(settings, SettingNames.propertyKey(name), property.getValue(), "system property '" + name + "'");
            }
        }
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (name.startsWith(SettingNames.VARIABLE_PREFIX) && !mapped.contains(name)) {
                put(settings, SettingNames.variableKey(name), variable.getValue(), SettingNames.variableOrigin(name));
            }
        }
        return settings;
    }

    /** The first of two names for one key wins: properties come first. An empty value is no value, as in MicroProfile Config. */
    private static void put(Map<String, Setting> settings, String key, String value, String where) {
        if (value != null && !value.isEmpty()) {
            settings.putIfAbsent(key, new Setting(value.trim(), where));
        }
    }
}
