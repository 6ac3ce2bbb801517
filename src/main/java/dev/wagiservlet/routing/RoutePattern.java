package dev.wagiservlet.routing;

import java.util.Objects;

/**
 * A WAGI route: an exact path ({@code /hello}) or a prefix ({@code /static/...}, which matches
 * {@code /static}, {@code /static/} and everything below, but not {@code /staticx}).
 *
 * <p>Patterns are matched against the raw, still percent-encoded request path relative to the
 * webapp's context path, exactly as the reference implementation does.
 */
public final class RoutePattern {

    private static final String WILDCARD = "/...";

    private final String text;
    private final String path;
    private final boolean prefix;

    private RoutePattern(String text, String path, boolean prefix) {
        this.text = text;
        this.path = path;
        this.prefix = prefix;
    }

    /**
     * Parses a route as written in configuration.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static RoutePattern parse(String text) {
        Objects.requireNonNull(text, "route");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a route must not be empty");
        }
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("a route must start with '/': '" + text + "'");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '?' || c == '#') {
                throw new IllegalArgumentException("a route must not contain spaces, control characters, '?' or '#': '" + text + "'");
            }
        }
        boolean prefix = text.endsWith(WILDCARD);
        String path = prefix ? text.substring(0, text.length() - WILDCARD.length()) : text;
        if (path.contains("...")) {
            throw new IllegalArgumentException("'...' may only end a route, as '/...': '" + text + "'");
        }
        return new RoutePattern(text, path, prefix);
    }

    /** The route as configured, e.g. {@code /static/...}: WAGI's {@code X_MATCHED_ROUTE}. */
    public String text() {
        return text;
    }

    /** True for {@code /...} routes. */
    public boolean isPrefix() {
        return prefix;
    }

    /** The path part: the exact path, or the prefix without {@code /...} (empty for {@code /...}). */
    public String path() {
        return path;
    }

    /** Whether this route serves the given raw path. */
    public boolean matches(String rawPath) {
        if (!prefix) {
            return rawPath.equals(path);
        }
        return rawPath.startsWith(path)
                && (rawPath.length() == path.length() || rawPath.charAt(path.length()) == '/');
    }

    /** WAGI's script name: the exact route, or the prefix ({@code /} for {@code /...}). */
    public String scriptName() {
        return path.isEmpty() ? "/" : path;
    }

    /** The raw path below the route: always empty for exact routes. */
    public String relativePath(String rawPath) {
        return prefix && matches(rawPath) ? rawPath.substring(path.length()) : "";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutePattern other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
