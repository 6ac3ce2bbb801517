package dev.wagiservlet.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes a module declares for itself through its {@code _routes} export: one
 * {@code <route> <entrypoint>} line each, joined onto the route the module is mounted at as the
 * reference does ({@code /example} + {@code /goodbye/...} = {@code /example/goodbye/...}).
 */
public final class SubRoutes {

    /** A declared route and the function that serves it. */
    public record SubRoute(RoutePattern pattern, String entrypoint) {}

    private SubRoutes() {}

    /**
     * Parses {@code _routes} output. When a module declares the same route twice, the later line
     * wins, as in the reference.
     *
     * @throws IllegalArgumentException naming the bad line, if the output is empty or malformed
     */
    public static List<SubRoute> parse(RoutePattern parent, String output) {
        Map<RoutePattern, SubRoute> routes = new LinkedHashMap<>();
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("_routes line " + (i + 1) + " must be '<route> <entrypoint>': '" + line + "'");
            }
            RoutePattern pattern;
            try {
                pattern = RoutePattern.parse(join(parent, parts[0]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("_routes line " + (i + 1) + " '" + line + "': " + e.getMessage());
            }
            routes.remove(pattern);
            routes.put(pattern, new SubRoute(pattern, parts[1]));
        }
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("_routes printed no routes");
        }
        return new ArrayList<>(routes.values());
    }

    private static String join(RoutePattern parent, String route) {
        if (!route.startsWith("/")) {
            throw new IllegalArgumentException("a route must start with '/'");
        }
        String left = parent.path();
        if (left.endsWith("/")) {
            return left + route.substring(1);
        }
        return left + route;
    }
}
