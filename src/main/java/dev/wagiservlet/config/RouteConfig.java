package dev.wagiservlet.config;

import dev.wagiservlet.routing.RoutePattern;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured WAGI route, whichever source it came from (web.xml, MicroProfile Config or
 * modules.toml).
 *
 * @param route the route pattern
 * @param module the .wasm (or .wat) file that serves it
 * @param entrypoint the exported function to call, {@code _start} by default
 * @param argv the argv template ({@code ${SCRIPT_NAME}}, {@code ${ARGS}}), or empty for WAGI's default
 * @param volumes guest path to host directory, pre-opened for the module
 * @param origin where this route was configured, for messages (file and key)
 */
public record RouteConfig(
        RoutePattern route,
        Location module,
        String entrypoint,
        Optional<String> argv,
        Map<String, Location> volumes,
        String origin) {

    /** WAGI's default entrypoint. */
    public static final String DEFAULT_ENTRYPOINT = "_start";

    public RouteConfig {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(entrypoint, "entrypoint");
        Objects.requireNonNull(argv, "argv");
        volumes = Map.copyOf(volumes);
        Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String toString() {
        return route + " -> " + module + " (" + origin + ")";
    }
}
