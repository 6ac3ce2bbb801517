package dev.wagiservlet.filter;

import dev.wagiservlet.routing.RoutePattern;
import dev.wagiservlet.routing.RouteTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the filter serves at one moment: replaced whole when the modules.toml changes, so a
 * request always sees one consistent set of routes.
 *
 * @param table the routes
 * @param healthRoute the built-in health route, if enabled
 * @param environment variables for every module
 */
record Routing(RouteTable<MountedRoute> table, Optional<RoutePattern> healthRoute, Map<String, String> environment) {

    Routing {
        environment = Map.copyOf(environment);
    }

    List<MountedRoute> routes() {
        return table.entries().stream().map(RouteTable.Entry::target).toList();
    }
}
