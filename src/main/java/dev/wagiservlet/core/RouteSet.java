package dev.wagiservlet.core;

import dev.wagiservlet.metrics.FilterMetrics;
import dev.wagiservlet.routing.RoutePattern;
import dev.wagiservlet.routing.RouteTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * What the gateway serves at one moment: replaced whole when the modules.toml changes, so a
 * request always sees one consistent set of routes, each carrying its slots and metrics.
 *
 * @param table the routes
 * @param healthRoute the built-in health route, if enabled
 * @param environment variables for every module
 */
public record RouteSet(RouteTable<Route> table, Optional<RoutePattern> healthRoute, Map<String, String> environment) {

    /** No routes: what the gateway serves before it has mounted any. */
    static final RouteSet EMPTY = new RouteSet(RouteTable.of(List.of()), Optional.empty(), Map.of());

    public RouteSet {
        environment = Map.copyOf(environment);
    }

    /**
     * Serves what was mounted: every route gets its slots ({@code max_concurrency}, or
     * {@code routeShare}) and its metrics, kept from the routes served before where a route is
     * the same.
     */
    static RouteSet bind(Mount mount, FilterMetrics metrics) {
        List<RouteTable.Entry<Route>> entries = metrics.bind(mount.entries(), entry -> entry.target().info(),
                (entry, routeMetrics) -> {
                    int cap = entry.target().limits().maxConcurrency();
                    Route route = new Route(entry.target(), new Semaphore(cap > 0 ? cap : mount.routeShare(), true), routeMetrics);
                    return new RouteTable.Entry<>(entry.pattern(), entry.hosts(), route);
                });
        return new RouteSet(RouteTable.of(entries), mount.healthRoute(), mount.environment());
    }

    /** The routes, in table order. */
    public List<Route> routes() {
        return table.entries().stream().map(RouteTable.Entry::target).toList();
    }

    /**
     * What {@link RouteMounter} made of the settings: the routes with their files found and
     * modules compiled, not yet served.
     *
     * @param entries the routes (checked: no route twice)
     * @param healthRoute the built-in health route, if enabled
     * @param environment variables for every module
     * @param routeShare the slots of a route that sets no {@code max_concurrency}
     */
    record Mount(List<RouteTable.Entry<MountedRoute>> entries, Optional<RoutePattern> healthRoute, Map<String, String> environment,
            int routeShare) {
        Mount {
            entries = List.copyOf(entries);
            environment = Map.copyOf(environment);
        }
    }
}
