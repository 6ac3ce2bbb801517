package dev.wagiservlet.config;

import dev.wagiservlet.routing.RoutePattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the WAGI filter's init-params (web.xml). Keys:
 *
 * <pre>
 * modules-toml                   a modules.toml to load routes from (file path, file: URL or /WEB-INF/ resource)
 * engine                         compiler (default) or interpreter
 * routes.NAME.route              the route, e.g. /hello or /static/...      (required per route)
 * routes.NAME.module             the .wasm file: /WEB-INF/..., absolute path, file: URL (required per route)
 * routes.NAME.entrypoint         exported function to call (default _start)
 * routes.NAME.argv               argv template, e.g. ${SCRIPT_NAME} ${ARGS}
 * routes.NAME.volumes.GUEST_PATH host directory pre-opened at GUEST_PATH
 * </pre>
 *
 * NAME is any word without dots; it only groups the keys of one route. An unknown key fails the
 * deployment, so a typo never silently drops a setting.
 */
public final class InitParameters {

    public static final String MODULES_TOML = "modules-toml";
    public static final String ENGINE = "engine";
    private static final String ROUTES = "routes.";

    private InitParameters() {}

    /**
     * @param params the init-params
     * @param origin where they come from, e.g. {@code web.xml filter 'wagi'}
     */
    public static FilterSettings read(Map<String, String> params, String origin) {
        Optional<String> modulesToml = Optional.empty();
        EngineMode engine = EngineMode.COMPILER;
        Map<String, Map<String, String>> routeKeys = new TreeMap<>();
        for (Map.Entry<String, String> param : new TreeMap<>(params).entrySet()) {
            String key = param.getKey();
            String value = param.getValue() == null ? "" : param.getValue().trim();
            if (key.equals(MODULES_TOML)) {
                modulesToml = value.isEmpty() ? Optional.empty() : Optional.of(value);
            } else if (key.equals(ENGINE)) {
                engine = EngineMode.parse(value, where(origin, key));
            } else if (key.startsWith(ROUTES)) {
                String rest = key.substring(ROUTES.length());
                int dot = rest.indexOf('.');
                if (dot <= 0) {
                    throw new ConfigException(where(origin, key) + ": expected routes.NAME.route, routes.NAME.module, ...");
                }
                routeKeys.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>())
                        .put(rest.substring(dot + 1), value);
            } else {
                throw new ConfigException(where(origin, key) + ": unknown init-param; known keys are "
                        + MODULES_TOML + ", " + ENGINE + " and routes.NAME.(route|module|entrypoint|argv|volumes.PATH)");
            }
        }
        List<RouteConfig> routes = new ArrayList<>();
        routeKeys.forEach((name, keys) -> routes.add(route(name, keys, origin)));
        return new FilterSettings(modulesToml, where(origin, MODULES_TOML), engine, routes);
    }

    private static RouteConfig route(String name, Map<String, String> keys, String origin) {
        String prefix = ROUTES + name + ".";
        String route = null;
        String module = null;
        String entrypoint = RouteConfig.DEFAULT_ENTRYPOINT;
        Optional<String> argv = Optional.empty();
        Map<String, Location> volumes = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            String where = where(origin, prefix + key);
            switch (key) {
                case "route" -> route = value;
                case "module" -> module = value;
                case "entrypoint" -> entrypoint = requireNonEmpty(value, where);
                case "argv" -> argv = Optional.of(value);
                default -> {
                    if (!key.startsWith("volumes.")) {
                        throw new ConfigException(where + ": unknown route key '" + key
                                + "'; known are route, module, entrypoint, argv and volumes.GUEST_PATH");
                    }
                    String guest = key.substring("volumes.".length());
                    volumes.put(Volumes.guestPath(guest, where), parseLocation(value, Location.WEBAPP_ROOT, where));
                }
            }
        }
        if (route == null) {
            throw new ConfigException(where(origin, prefix + "route") + ": missing (route '" + name + "' has no route)");
        }
        if (module == null) {
            throw new ConfigException(where(origin, prefix + "module") + ": missing (route '" + name + "' has no module)");
        }
        RoutePattern pattern = parseRoute(route, where(origin, prefix + "route"));
        Location location = parseLocation(module, Location.WEBAPP_ROOT, where(origin, prefix + "module"));
        return new RouteConfig(pattern, location, entrypoint, argv, volumes, where(origin, ROUTES + name));
    }

    static RoutePattern parseRoute(String text, String where) {
        try {
            return RoutePattern.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    static Location parseLocation(String text, Location base, String where) {
        try {
            return Location.parse(text, base);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    static String requireNonEmpty(String value, String where) {
        if (value.isBlank()) {
            throw new ConfigException(where + ": must not be empty");
        }
        return value.trim();
    }

    private static String where(String origin, String key) {
        return origin + ", key '" + key + "'";
    }
}
