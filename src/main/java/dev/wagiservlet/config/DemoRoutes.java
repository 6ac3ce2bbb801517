package dev.wagiservlet.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Keeps the drop-in WAR's bundled routes out of the way of a user's own. The WAR's web.xml says
 * {@code demo-routes = true}: its routes are a demo, and a route configured anywhere else (a
 * modules.toml, MicroProfile Config, the environment) that would serve a demo route's path for
 * its hosts replaces the demo route, with one log line naming every route replaced. So a wagi modules.toml that
 * serves {@code /hello} or {@code /env/...} works unchanged in the WAR. A route that is configured
 * twice by the user still fails the deployment.
 */
public final class DemoRoutes {

    /** The setting that marks web.xml's routes as a demo. */
    static final String KEY = "demo_routes";

    private static final String ROUTES = "routes.";

    private DemoRoutes() {}

    /**
     * The names of web.xml's routes if they are a demo ({@code demo-routes = true} in the settings
     * in force), else none.
     *
     * @param webXml the filter's init-params, by canonical key
     * @param settings all settings in force (web.xml overlaid by MicroProfile Config)
     */
    public static Set<String> names(Map<String, Setting> webXml, Map<String, Setting> settings) {
        Setting demo = settings.get(KEY);
        Set<String> names = new TreeSet<>();
        if (demo != null && isTrue(demo)) {
            for (String key : webXml.keySet()) {
                if (key.startsWith(ROUTES)) {
                    String rest = key.substring(ROUTES.length());
                    int dot = rest.indexOf('.');
                    names.add(dot < 0 ? rest : rest.substring(0, dot));
                }
            }
        }
        return names;
    }

    /**
     * The demo routes that no route of the user's takes over; says in one line which were taken
     * over. A user's route takes over a demo route when it would serve the demo route's path for
     * the same hosts: a route at the same place, or a prefix above it (a catch-all {@code /...}
     * takes over every demo route).
     *
     * @param demo the demo routes
     * @param own the routes the user configured
     * @param log told which demo routes were replaced, and by what
     */
    public static List<RouteConfig> notReplaced(List<RouteConfig> demo, List<RouteConfig> own, Consumer<String> log) {
        List<RouteConfig> kept = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        for (RouteConfig route : demo) {
            RouteConfig replacement = own.stream().filter(mine -> takesOver(mine, route)).findFirst().orElse(null);
            if (replacement == null) {
                kept.add(route);
            } else {
                replaced.add(route.route().text() + " (by " + replacement.origin() + ")");
            }
        }
        if (!replaced.isEmpty()) {
            log.accept("demo route(s) of the WAR replaced by your own: " + String.join(", ", replaced));
        }
        return kept;
    }

    private static boolean takesOver(RouteConfig mine, RouteConfig demo) {
        return (mine.hosts().isEmpty() || mine.hosts().equals(demo.hosts())) && mine.route().matches(demo.route().path());
    }

    /** {@code true} or {@code false}; anything else fails. */
    static boolean isTrue(Setting setting) {
        return switch (setting.value().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw setting.error("must be true or false, not '" + setting.value() + "'");
        };
    }
}
