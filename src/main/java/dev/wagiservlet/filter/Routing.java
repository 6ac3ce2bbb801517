package dev.wagiservlet.filter;

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
 * @param routeSlots the slots of each route with a concurrency cap, by identity
 */
record Routing(RouteTable<MountedRoute> table, Optional<RoutePattern> healthRoute, Map<String, String> environment,
        Map<MountedRoute, Semaphore> routeSlots) {

    Routing {
        environment = Map.copyOf(environment);
    }

    Routing(RouteTable<MountedRoute> table, Optional<RoutePattern> healthRoute, Map<String, String> environment) {
        this(table, healthRoute, environment, slots(table));
    }

    private static Map<MountedRoute, Semaphore> slots(RouteTable<MountedRoute> table) {
        Map<MountedRoute, Semaphore> slots = new IdentityHashMap<>();
        for (RouteTable.Entry<MountedRoute> entry : table.entries()) {
            int cap = entry.target().limits().maxConcurrency();
            if (cap > 0) {
                slots.put(entry.target(), new Semaphore(cap, true));
            }
        }
        return Collections.unmodifiableMap(slots);
    }

    /** The route's slots, or null if it has no cap of its own. */
    Semaphore slots(MountedRoute route) {
        return routeSlots.get(route);
    }

    List<MountedRoute> routes() {
        return table.entries().stream().map(RouteTable.Entry::target).toList();
    }
}
