package dev.wagiservlet.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * Reads WAGI settings from MicroProfile Config, when the webapp has an implementation (the WAR
 * bundles SmallRye Config): properties named {@code wagi.KEY} (system properties,
 * {@code META-INF/microprofile-config.properties}, any config source), and environment variables
 * named {@code WAGI_KEY} in their usual upper-case form, named as {@link SettingNames} says.
 * Volumes need a property ({@code wagi.routes.NAME.volumes./data}): a guest path cannot be written
 * as an environment variable name.
 *
 * <p>Only touch this class after {@link #isAvailable(ClassLoader)} said yes: it links against
 * the MicroProfile API, which a webapp using the plain JAR may not have; such a webapp's settings are
 * read by {@link SystemSettings}, with the same names.
 */
public final class MicroProfileSettings implements AutoCloseable {

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
        Set<String> properties = new TreeSet<>();
        Set<String> variables = new TreeSet<>();
        // A WAGI_* name is an environment variable's whichever source lists it: servers name their
        // environment source differently (SmallRye "EnvConfigSource", Payara "Environment").
        for (org.eclipse.microprofile.config.spi.ConfigSource source : config.getConfigSources()) {
            boolean environment = isEnvironment(source.getName());
            for (String name : source.getPropertyNames()) {
                if (name.startsWith("WAGI_")) {
                    variables.add(name);
                } else if (!environment && name.startsWith("wagi.")) {
                    properties.add(name);
                }
            }
        }
        Set<String> mapped = new HashSet<>();
        properties.forEach(name -> mapped.add(SettingNames.environmentForm(name)));
        List<String> names = new ArrayList<>(properties);
        variables.stream().filter(name -> !mapped.contains(name)).forEach(names::add);
        for (String name : names) {
            String key;
            String where;
            if (name.startsWith(SettingNames.PROPERTY_PREFIX)) {
                key = SettingNames.propertyKey(name);
                where = "MicroProfile Config property '" + name + "'";
            } else if (name.startsWith(SettingNames.VARIABLE_PREFIX)) {
                key = SettingNames.variableKey(name); // fails for a name that is no setting, as an unknown wagi.* property does
                where = SettingNames.variableOrigin(name);
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
                    where = "environment variable " + SettingNames.environmentForm(name) + " (for " + where + ")";
                } else if (value.getSourceName() != null && !isEnvironment(value.getSourceName())) {
                    where += " (" + value.getSourceName() + ")";
                }
                settings.put(key, new Setting(value.getValue().trim(), where));
            }
        }
        return settings;
    }

    private static boolean isEnvironment(String sourceName) {
        // SmallRye's "EnvConfigSource", Payara's "Environment"; not a file that happens to be named environment.properties
        return sourceName != null && (sourceName.startsWith("EnvConfigSource") || sourceName.equals("Environment"));
    }

    /** Releases the configuration so the webapp's class loader can be collected after undeploy. */
    @Override
    public void close() {
        ConfigProviderResolver.instance().releaseConfig(config);
    }
}
