package dev.wagiservlet.metrics;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a route is, as reports show it.
 *
 * @param route the route as configured, e.g. {@code /hello} or {@code /static/...}
 * @param hosts the Host names it serves; empty for every host
 * @param module the module file
 * @param entrypoint the function it calls
 * @param engine the engine its module runs on ({@code chicory}, {@code wasmtime})
 */
public record RouteInfo(String route, Set<String> hosts, Path module, String entrypoint, String engine) {

    public RouteInfo {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(entrypoint, "entrypoint");
        Objects.requireNonNull(engine, "engine");
        hosts = Set.copyOf(new TreeSet<>(hosts));
    }

    /** The route's identity among a filter's routes: the route, and its hosts if it has any. */
    public String key() {
        return hosts.isEmpty() ? route : route + " " + String.join(",", new TreeSet<>(hosts));
    }

    /** The hosts, sorted, comma-separated; empty for every host. */
    public String hostList() {
        return String.join(",", new TreeSet<>(hosts));
    }
}
