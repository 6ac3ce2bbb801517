package dev.wagiservlet.config;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The names settings have outside web.xml: properties {@code wagi.KEY} and environment variables
 * {@code WAGI_KEY} in their usual upper-case form ({@code WAGI_MODULES_TOML},
 * {@code WAGI_ROUTES_HELLO_MODULE}, {@code WAGI_ROUTES_HELLO_ENVIRONMENT_API_KEY}), and the
 * canonical key each stands for. Route names from environment variables are lower-cased, so
 * {@code WAGI_ROUTES_HELLO_MODULE} overrides web.xml's {@code routes.hello.module}.
 *
 * <p>One mapping for both readers, {@link MicroProfileSettings} and {@link SystemSettings}, so that
 * a name means the same with or without MicroProfile Config. It imports nothing of MicroProfile:
 * the API may be absent from the webapp.
 */
public final class SettingNames {

    static final String PROPERTY_PREFIX = "wagi.";
    static final String VARIABLE_PREFIX = "WAGI_";

    static final List<String> GLOBAL_KEYS = Keys.variableForms(Keys.ofFilter());
    /** Longest first, so that ALLOWED_HOSTS is not taken for HOSTS, nor HTTP_TIMEOUT for TIMEOUT. */
    static final List<String> ROUTE_KEYS = Keys.variableForms(Keys.ofRoute());

    private SettingNames() {}

    /** The canonical key of a {@code wagi.*} property: {@code wagi.routes.a.allowed-hosts} is {@code routes.a.allowed_hosts}. */
    static String propertyKey(String property) {
        return WagiSettingsReader.canonical(property.substring(PROPERTY_PREFIX.length()));
    }

    /**
     * The canonical key of a {@code WAGI_*} environment variable. As for an unknown {@code wagi.*}
     * property, a name that is no setting fails, naming the variable: a typo never silently drops a setting.
     */
    static String variableKey(String variable) {
        String key = fromEnvironmentName(variable.substring(VARIABLE_PREFIX.length()));
        if (key == null) {
            throw new ConfigException(variableOrigin(variable) + ": " + (variable.startsWith("WAGI_ROUTES_") ? RouteReader.UNKNOWN_KEY
                    + " (volumes.GUEST_PATH cannot be written as an environment variable: use wagi.routes.NAME.volumes./path"
                    + " or a modules.toml)" : "not a wagi-servlet setting; the settings are " + GLOBAL_KEYS.stream()
                            .map(k -> VARIABLE_PREFIX + k).collect(Collectors.joining(", "))
                            + ", WAGI_ENVIRONMENT_NAME and WAGI_ROUTES_NAME_KEY"));
        }
        return key;
    }

    /** How messages name an environment variable. */
    static String variableOrigin(String variable) {
        return "environment variable " + variable;
    }

    /** MicroProfile's environment variable for a property: {@code wagi.routes.a.module} is {@code WAGI_ROUTES_A_MODULE}. */
    static String environmentForm(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
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
}
