package dev.wagiservlet.config;

import java.lang.System.Logger.Level;
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

    private static final System.Logger LOG = System.getLogger(MicroProfileSettings.class.getName());
    private static final List<String> GLOBAL_KEYS = List.of("MODULES_TOML", "ENGINE", "HEALTH_ROUTE", "RELOAD_INTERVAL", "MODULE_CACHE_DIR");
    private static final List<String> ROUTE_KEYS = List.of("HTTP_MAX_CONCURRENCY", "WRITABLE_VOLUMES", "ALLOWED_HOSTS", "HTTP_TIMEOUT",
            "ENTRYPOINT", "METHODS", "SHA256", "MODULE", "ROUTE", "HOSTS", "ARGV");

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
        // Environment variables are read by their own names: SmallRye also lists them under a dotted
        // lower-case name (WAGI_MODULES_TOML as wagi.modules.toml), which cannot be mapped back.
        List<String> names = new java.util.ArrayList<>();
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith("wagi.") || !isEnvironment(config.getConfigValue(name))) {
                names.add(name);
            }
        }
        System.getenv().keySet().stream().filter(name -> name.startsWith("WAGI_") && !names.contains(name)).forEach(names::add);
        names.sort(Comparator.naturalOrder());
        for (String name : names) {
            String key;
            String where;
            if (name.startsWith("wagi.")) {
                key = WagiSettingsReader.canonical(name.substring("wagi.".length()));
                where = "MicroProfile Config property '" + name + "'";
            } else if (name.startsWith("WAGI_")) {
                key = fromEnvironmentName(name.substring("WAGI_".length()));
                where = "environment variable " + name;
                if (key == null) {
                    LOG.log(Level.WARNING, "Ignoring {0}: not a wagi-servlet setting", name);
                    continue;
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
                String source = value.getSourceName() == null ? "" : " (" + value.getSourceName() + ")";
                settings.put(key, new Setting(value.getValue().trim(), where + source));
            }
        }
        return settings;
    }

    private static boolean isEnvironment(ConfigValue value) {
        return value.getSourceName() != null && value.getSourceName().startsWith("EnvConfigSource");
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
