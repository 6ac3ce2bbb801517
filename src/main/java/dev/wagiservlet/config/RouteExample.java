package dev.wagiservlet.config;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * How to try a route, for the landing page: the methods it serves, and either the path a browser
 * can open (a route that serves GET) or an example curl command (a route that does not: a link
 * would send a GET, which such a route answers with 405, an empty download for a browser).
 *
 * @param route the route
 */
public record RouteExample(RouteConfig route) {

    /** The methods in the order a reader expects them, then any others alphabetically. */
    private static final List<String> ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Comparator<String> READING_ORDER = Comparator.<String>comparingInt(RouteExample::rank)
            .thenComparing(Comparator.naturalOrder());

    /** The methods served, e.g. {@code POST, PUT}; {@code any} for a route that serves all. */
    public String methods() {
        Set<String> methods = route.methods();
        if (methods.isEmpty()) {
            return "any";
        }
        return String.join(", ", methods.stream().sorted(READING_ORDER).toList());
    }

    private static int rank(String method) {
        int i = ORDER.indexOf(method);
        return i < 0 ? ORDER.size() : i;
    }

    /** Whether a link (a GET) tries this route. */
    public boolean linkable() {
        return route.methods().isEmpty() || route.methods().contains("GET");
    }

    /** The path below the context path to open: the route, or for a prefix route the folder under it. */
    public String path() {
        return route.route().isPrefix() ? route.route().path() + "/" : route.route().text();
    }

    /**
     * A curl command that sends this route a request it serves: a body for POST, PUT and PATCH,
     * {@code -X METHOD} for the others.
     *
     * @param url the route's full URL (scheme, host, context path and {@link #path()})
     */
    public String curl(String url) {
        if (linkable()) {
            return "curl '" + url + "'";
        }
        String method = route.methods().stream().min(READING_ORDER).orElseThrow();
        String body = switch (method) {
            case "POST" -> "--data-binary 'hello' ";
            case "PUT", "PATCH" -> "-X " + method + " --data-binary 'hello' ";
            default -> "-X " + method + " ";
        };
        return "curl " + body + "'" + url + "'";
    }
}
