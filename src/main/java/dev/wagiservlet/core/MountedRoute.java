package dev.wagiservlet.core;

import dev.wagiservlet.config.Limits;
import dev.wagiservlet.config.RouteConfig;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import dev.wagiservlet.metrics.RouteInfo;
import java.nio.file.Path;
import java.util.Map;

/**
 * A configured route with its files found: what a request to the route runs.
 *
 * @param config the route as configured
 * @param moduleFile the module file
 * @param volumes guest path to host directory, confined by the engine's sandbox
 * @param limits what one request to it may use
 * @param http what its module may reach over outbound HTTP
 * @param engine the name of the engine that runs its module ({@code chicory}, {@code wasmtime})
 */
public record MountedRoute(RouteConfig config, Path moduleFile, Map<String, Path> volumes, Limits limits, OutboundHttpPolicy http,
        String engine) {

    public MountedRoute {
        volumes = Map.copyOf(volumes);
    }

    /** The route text, as the log and the landing page show it. */
    public String route() {
        return config.route().text();
    }

    /** The function this route calls. */
    public String entrypoint() {
        return config.entrypoint();
    }

    /** What the route is, for its metrics. */
    RouteInfo info() {
        return new RouteInfo(route(), config.hosts(), moduleFile, entrypoint(), engine);
    }

    @Override
    public String toString() {
        return config.origin();
    }
}
