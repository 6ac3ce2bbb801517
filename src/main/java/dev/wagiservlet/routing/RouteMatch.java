package dev.wagiservlet.routing;

/**
 * The route that serves a request, with the raw path it matched.
 *
 * @param pattern the winning route
 * @param target what the route leads to
 * @param rawPath the raw request path relative to the context path
 */
public record RouteMatch<T>(RoutePattern pattern, T target, String rawPath) {

    /** The raw, still percent-encoded path below the route (WAGI's {@code X_RAW_PATH_INFO}). */
    public String rawPathInfo() {
        return pattern.relativePath(rawPath);
    }
}
