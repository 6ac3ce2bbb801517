package dev.wagiservlet.filter;

import dev.wagiservlet.metrics.RouteInfo;
import dev.wagiservlet.metrics.RouteMetrics;
import dev.wagiservlet.routing.RoutePattern;
import dev.wagiservlet.routing.RouteTable;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * What the filter serves at one moment: replaced whole when the modules.toml changes, so a
 * request always sees one consistent set of routes.
 *
 * @param table the routes
 * @param healthRoute the built-in health route, if enabled
 * @param environment variables for every module
 * @param routeSlots the slots of each route, by identity
 * @param routeMetrics what each route records into, by identity (see {@link #withMetrics})
 */
record Routing(RouteTable<MountedRoute> table, Optional<RoutePattern> healthRoute, Map<String, String> environment,
        Map<MountedRoute, Semaphore> routeSlots, Map<MountedRoute, RouteMetrics> routeMetrics) {

    Routing {
        environment = Map.copyOf(environment);
    }

    /**
     * @param routeShare the slots of a route that sets no {@code max_concurrency} of its own
     */
    Routing(RouteTable<MountedRoute> table, Optional<RoutePattern> healthRoute, Map<String, String> environment, int routeShare) {
        this(table, healthRoute, environment, slots(table, routeShare), Map.of());
    }

    /** These routes, recording into the metrics given for each route, in the order of {@link #routes()}. */
    Routing withMetrics(List<RouteMetrics> metrics) {
        List<MountedRoute> routes = routes();
        Map<MountedRoute, RouteMetrics> byRoute = new IdentityHashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            byRoute.put(routes.get(i), metrics.get(i));
        }
        return new Routing(table, healthRoute, environment, routeSlots, Collections.unmodifiableMap(byRoute));
    }

    /** What each route is, for the metrics, in the order of {@link #routes()}. */
    List<RouteInfo> routeInfos() {
        return routes().stream()
                .map(route -> new RouteInfo(route.route(), route.config().hosts(), route.moduleFile(), route.entrypoint()))
                .toList();
    }

    /** What a request to the route records into (a detached set if the route has none, which does not happen once bound). */
    RouteMetrics metrics(MountedRoute route) {
        RouteMetrics metrics = routeMetrics.get(route);
        return metrics != null ? metrics : UNBOUND;
    }

    private static final RouteMetrics UNBOUND =
            new RouteMetrics(new RouteInfo("(unbound)", java.util.Set.of(), java.nio.file.Path.of("(none)"), "_start"));

    /** Every route gets slots of its own: its {@code max_concurrency}, or the default share. */
    private static Map<MountedRoute, Semaphore> slots(RouteTable<MountedRoute> table, int routeShare) {
        Map<MountedRoute, Semaphore> slots = new IdentityHashMap<>();
        for (RouteTable.Entry<MountedRoute> entry : table.entries()) {
            int cap = entry.target().limits().maxConcurrency();
            slots.put(entry.target(), new Semaphore(cap > 0 ? cap : routeShare, true));
        }
        return Collections.unmodifiableMap(slots);
    }

    /** The route's slots. */
    Semaphore slots(MountedRoute route) {
        return routeSlots.get(route);
    }

    List<MountedRoute> routes() {
        return table.entries().stream().map(RouteTable.Entry::target).toList();
    }
}
