package dev.wagiservlet.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable set of routes, each leading to a target, in which the most specific route wins:
 * an exact route over any prefix, a longer prefix over a shorter one, whatever the order in which
 * routes were configured (as in Spin; the reference takes the first match in config order).
 *
 * @param <T> what a route leads to
 */
public final class RouteTable<T> {

    /** One route and its target. */
    public record Entry<T>(RoutePattern pattern, T target) {}

    private final List<Entry<T>> entries;
    private final Map<String, Entry<T>> exact = new HashMap<>();
    private final List<Entry<T>> prefixes = new ArrayList<>();

    private RouteTable(List<Entry<T>> entries) {
        this.entries = List.copyOf(entries);
        for (Entry<T> entry : this.entries) {
            if (entry.pattern().isPrefix()) {
                prefixes.add(entry);
            } else {
                exact.put(entry.pattern().path(), entry);
            }
        }
        prefixes.sort(Comparator.comparingInt((Entry<T> e) -> e.pattern().path().length()).reversed());
    }

    /**
     * Builds a table.
     *
     * @throws IllegalArgumentException if two entries have the same route
     */
    public static <T> RouteTable<T> of(List<Entry<T>> entries) {
        Map<RoutePattern, Entry<T>> seen = new HashMap<>();
        for (Entry<T> entry : entries) {
            Entry<T> earlier = seen.putIfAbsent(entry.pattern(), entry);
            if (earlier != null) {
                throw new IllegalArgumentException("route '" + entry.pattern() + "' is configured twice: "
                        + earlier.target() + " and " + entry.target());
            }
        }
        return new RouteTable<>(entries);
    }

    /** The most specific route that serves the raw path, if any. */
    public Optional<RouteMatch<T>> match(String rawPath) {
        Entry<T> hit = exact.get(rawPath);
        if (hit == null) {
            for (Entry<T> prefix : prefixes) {
                if (prefix.pattern().matches(rawPath)) {
                    hit = prefix;
                    break;
                }
            }
        }
        return hit == null ? Optional.empty() : Optional.of(new RouteMatch<>(hit.pattern(), hit.target(), rawPath));
    }

    /** Every entry, in configuration order. */
    public List<Entry<T>> entries() {
        return entries;
    }
}
