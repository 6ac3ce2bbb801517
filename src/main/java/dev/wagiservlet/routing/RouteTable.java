package dev.wagiservlet.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable set of routes, each leading to a target, in which the most specific route wins:
 * an exact route over any prefix, a longer prefix over a shorter one, whatever the order in which
 * routes were configured (as in Spin; the reference takes the first match in config order). A
 * route may be limited to some Host names; for the same pattern, a route for the request's host
 * wins over one for any host.
 *
 * @param <T> what a route leads to
 */
public final class RouteTable<T> {

    /**
     * One route and its target.
     *
     * @param pattern the route
     * @param hosts the Host names it serves ({@code name} or {@code name:port}, lower case); empty for all
     * @param target what it leads to
     */
    public record Entry<T>(RoutePattern pattern, Set<String> hosts, T target) {
        public Entry {
            Objects.requireNonNull(pattern, "pattern");
            hosts = Set.copyOf(hosts);
        }

        /** An entry serving every host. */
        public Entry(RoutePattern pattern, T target) {
            this(pattern, Set.of(), target);
        }

        boolean serves(String host, int port) {
            if (hosts.isEmpty()) {
                return true;
            }
            String name = host.toLowerCase(Locale.ROOT);
            return hosts.contains(name) || hosts.contains(name + ":" + port);
        }
    }

    private static final Comparator<Entry<?>> HOST_SPECIFIC_FIRST = Comparator.comparing(e -> e.hosts().isEmpty());

    private final List<Entry<T>> entries;
    private final Map<String, List<Entry<T>>> exact = new HashMap<>();
    private final List<Entry<T>> prefixes = new ArrayList<>();

    private RouteTable(List<Entry<T>> entries) {
        this.entries = List.copyOf(entries);
        for (Entry<T> entry : this.entries) {
            if (entry.pattern().isPrefix()) {
                prefixes.add(entry);
            } else {
                exact.computeIfAbsent(entry.pattern().path(), p -> new ArrayList<>()).add(entry);
            }
        }
        exact.values().forEach(list -> list.sort(HOST_SPECIFIC_FIRST));
        prefixes.sort(Comparator.comparingInt((Entry<T> e) -> e.pattern().path().length()).reversed().thenComparing(HOST_SPECIFIC_FIRST));
    }

    /**
     * Builds a table.
     *
     * @throws IllegalArgumentException if two entries have the same route for a common host
     */
    public static <T> RouteTable<T> of(List<Entry<T>> entries) {
        Map<RoutePattern, List<Entry<T>>> byPattern = new HashMap<>();
        for (Entry<T> entry : entries) {
            List<Entry<T>> same = byPattern.computeIfAbsent(entry.pattern(), p -> new ArrayList<>());
            for (Entry<T> earlier : same) {
                if (overlap(earlier.hosts(), entry.hosts())) {
                    throw new IllegalArgumentException("route '" + entry.pattern() + "' is configured twice"
                            + (entry.hosts().isEmpty() ? "" : " for the same host") + ": " + earlier.target() + " and " + entry.target());
                }
            }
            same.add(entry);
        }
        return new RouteTable<>(entries);
    }

    private static boolean overlap(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty();
        }
        for (String x : a) {
            for (String y : b) {
                if (x.equals(y) || x.equals(hostName(y)) || hostName(x).equals(y)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String hostName(String host) {
        int colon = host.lastIndexOf(':');
        return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
    }

    /** The most specific route that serves the raw path, for any host. */
    public Optional<RouteMatch<T>> match(String rawPath) {
        return match(rawPath, "", -1);
    }

    /** The most specific route that serves the raw path on the given Host name and port. */
    public Optional<RouteMatch<T>> match(String rawPath, String host, int port) {
        List<Entry<T>> candidates = exact.get(rawPath);
        if (candidates != null) {
            for (Entry<T> entry : candidates) {
                if (entry.serves(host, port)) {
                    return Optional.of(new RouteMatch<>(entry.pattern(), entry.target(), rawPath));
                }
            }
        }
        for (Entry<T> prefix : prefixes) {
            if (prefix.pattern().matches(rawPath) && prefix.serves(host, port)) {
                return Optional.of(new RouteMatch<>(prefix.pattern(), prefix.target(), rawPath));
            }
        }
        return Optional.empty();
    }

    /** Every entry, in configuration order. */
    public List<Entry<T>> entries() {
        return entries;
    }
}
