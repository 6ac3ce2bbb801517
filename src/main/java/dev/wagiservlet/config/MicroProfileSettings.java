package dev.wagiservlet.config;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * Reads WAGI settings from MicroProfile Config, when the webapp has an implementation (the WAR
 * bundles SmallRye Config): properties named {@code wagi.KEY} (system properties,
 * {@code META-INF/microprofile-config.properties}, any config source), and environment variables
 * named {@code WAGI_KEY} in their usual upper-case form: {@code WAGI_MODULES_TOML},
 * {@code WAGI_ROUTES_HELLO_MODULE}, {@code WAGI_ENVIRONMENT_API_KEY},
 * {@code WAGI_ROUTES_HELLO_ENVIRONMENT_API_KEY}. Route names from environment variables are
 * lower-cased, so {@code WAGI_ROUTES_HELLO_MODULE} overrides web.xml's {@code routes.hello.module}.
 * Volumes need a property ({@code wagi.routes.NAME.volumes./data}): a guest path cannot be written
 * as an environment variable name.
 *
 * <p>Only touch this class after {@link #isAvailable(ClassLoader)} said yes: it links against
 * the MicroProfile API, which a webapp using the plain JAR may not have.
 */
public final class MicroProfileSettings implements AutoCloseable {

    private static final List<String> GLOBAL_KEYS = List.of("MODULES_TOML", "ENGINE", "HEALTH_ROUTE", "STATUS_ROUTE",
            "STATUS_ROLE", "RELOAD_INTERVAL", "MODULE_CACHE_DIR", "CODE_CACHE_DIR",
            "OCI_INSECURE_REGISTRIES", "OCI_USERNAME", "OCI_PASSWORD", "OCI_DOCKER_CONFIG", "BACKGROUND_COMPILE_SIZE", "MAX_TOTAL_CONCURRENCY",
            "CONCURRENCY_WAIT", "MAX_TOTAL_MEMORY", "DEMO_ROUTES", "TIMEOUT", "MAX_MEMORY", "MAX_CONCURRENCY", "MAX_BODY_SIZE", "MAX_HEADER_SIZE",
            "MAX_OUTPUT_SIZE", "MAX_STDERR_SIZE", "MAX_STDERR_LINES");
    /** Longest first, so that ALLOWED_HOSTS is not taken for HOSTS, nor HTTP_TIMEOUT for TIMEOUT. */
    private static final List<String> ROUTE_KEYS = List.of("HTTP_MAX_CONCURRENCY", "WRITABLE_VOLUMES", "MAX_CONCURRENCY",
            "MAX_STDERR_LINES", "MAX_STDERR_SIZE", "MAX_OUTPUT_SIZE", "MAX_HEADER_SIZE", "ALLOWED_HOSTS", "MAX_BODY_SIZE", "HTTP_TIMEOUT", "MAX_MEMORY", "ENTRYPOINT",
            "TIMEOUT", "METHODS", "SHA256", "MODULE", "ROUTE", "HOSTS", "ARGV");

    private final Config config;

    private MicroProfileSettings(Config config) {
        this.config = config;
    }

    /** Whether MicroProfile Config and an implementation of it can be loaded. */
    public static boolean isAvailable(ClassLoader loader) {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, loader);
            return loader.getResource("META-INF/services/org.eclipse.microprofile.config.spi.ConfigProviderResolver") != null;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The webapp's configuration. */
    public static MicroProfileSettings load(ClassLoader loader) {
        return new MicroProfileSettings(ConfigProvider.getConfig(loader));
    }

    /** The WAGI settings by canonical key; of two names for one key, the higher ordinal wins. */
    public Map<String, Setting> settings() {
        Map<String, Setting> settings = new LinkedHashMap<>();
        Map<String, Integer> ordinals = new HashMap<>();
        // Properties are read by the names their (non-environment) sources give; their values may
        // still come from an environment variable, as MicroProfile maps wagi.routes.a.module to
        // WAGI_ROUTES_A_MODULE. Other environment variables are read by their own names: SmallRye
        // also lists them under a dotted lower-case name that cannot be mapped back.
        java.util.Set<String> properties = new java.util.TreeSet<>();
        java.util.Set<String> variables = new java.util.TreeSet<>();
        for (org.eclipse.microprofile.config.spi.ConfigSource source : config.getConfigSources()) {
            boolean environment = isEnvironment(source.getName());
            for (String name : source.getPropertyNames()) {
                if (environment ? name.startsWith("WAGI_") : name.startsWith("wagi.")) {
                    (environment ? variables : properties).add(name);
                }
            }
        }
        java.util.Set<String> mapped = new java.util.HashSet<>();
        properties.forEach(name -> mapped.add(environmentForm(name)));
        List<String> names = new java.util.ArrayList<>(properties);
        variables.stream().filter(name -> !mapped.contains(name)).forEach(names::add);
        for (String name : names) {
            String key;
            String where;
            if (name.startsWith("wagi.")) {
                key = WagiSettingsReader.canonical(name.substring("wagi.".length()));
                where = "MicroProfile Config property '" + name + "'";
            } else if (name.startsWith("WAGI_")) {
                key = fromEnvironmentName(name.substring("WAGI_".length()));
                where = "environment variable " + name;
                if (key == null) { // as for an unknown wagi.* property: a typo never silently drops a setting
                    throw new ConfigException(where + ": " + (name.startsWith("WAGI_ROUTES_") ? RouteReader.UNKNOWN_KEY
                            + " (volumes.GUEST_PATH cannot be written as an environment variable: use wagi.routes.NAME.volumes./path"
                            + " or a modules.toml)" : "not a wagi-servlet setting; the settings are " + GLOBAL_KEYS.stream()
                                    .map(k -> "WAGI_" + k).collect(java.util.stream.Collectors.joining(", "))
                                    + ", WAGI_ENVIRONMENT_NAME and WAGI_ROUTES_NAME_KEY"));
                }
            } else {
                continue;
            }
            ConfigValue value = config.getConfigValue(name);
            if (value.getValue() == null) {
                continue;
            }
            Integer earlier = ordinals.get(key);
            if (earlier == null || value.getSourceOrdinal() > earlier) {
                ordinals.put(key, value.getSourceOrdinal());
                if (name.startsWith("wagi.") && isEnvironment(value.getSourceName())) {
                    where = "environment variable " + environmentForm(name) + " (for " + where + ")";
                } else if (value.getSourceName() != null && !isEnvironment(value.getSourceName())) {
                    where += " (" + value.getSourceName() + ")";
                }
                settings.put(key, new Setting(value.getValue().trim(), where));
            }
        }
        return settings;
    }

    /** MicroProfile's environment variable for a property: {@code wagi.routes.a.module} is {@code WAGI_ROUTES_A_MODULE}. */
    private static String environmentForm(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static boolean isEnvironment(String sourceName) {
        return sourceName != null && sourceName.startsWith("EnvConfigSource");
    }

    /** {@code ROUTES_HELLO_MODULE} becomes {@code routes.hello.module}; null if it is no setting. */
    static String fromEnvironmentName(String name) {
        if (GLOBAL_KEYS.contains(name)) {
            return name.toLowerCase(Locale.ROOT);
        }
        if (name.startsWith("ENVIRONMENT_") && name.length() > "ENVIRONMENT_".length()) {
            return "environment." + name.substring("ENVIRONMENT_".length());
        }
        if (!name.startsWith("ROUTES_")) {
            return null;
        }
        String rest = name.substring("ROUTES_".length());
        int environment = rest.indexOf("_ENVIRONMENT_");
        if (environment > 0 && rest.length() > environment + "_ENVIRONMENT_".length()) {
            return "routes." + rest.substring(0, environment).toLowerCase(Locale.ROOT)
                    + ".environment." + rest.substring(environment + "_ENVIRONMENT_".length());
        }
        for (String key : ROUTE_KEYS) {
            if (rest.endsWith("_" + key) && rest.length() > key.length() + 1) {
                return "routes." + rest.substring(0, rest.length() - key.length() - 1).toLowerCase(Locale.ROOT)
                        + "." + key.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** Releases the configuration so the webapp's class loader can be collected after undeploy. */
    @Override
    public void close() {
        ConfigProviderResolver.instance().releaseConfig(config);
    }
}
