package dev.wagiservlet.config;

import dev.wagiservlet.routing.RoutePattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one WAGI filter is configured with, from its init-params overlaid by MicroProfile
 * Config (see {@link WagiSettingsReader}).
 *
 * @param modulesToml the modules.toml to add routes from
 * @param engine how modules are executed
 * @param environment variables given to every module (a route's own win, CGI variables win over both)
 * @param healthRoute the built-in health check route ({@code 200 OK}), if enabled
 * @param reloadInterval how often the modules.toml is checked for changes; zero disables
 * @param moduleCacheDir where downloaded modules are kept; empty for the webapp's temp dir
 * @param backgroundCompileSize (last) modules at least this large are compiled in the background at startup; 0: none
 * @param codeCacheDir where compiled code is kept across restarts; empty for the webapp's temp dir, {@code off} for none
 * @param limits the limits of every route that does not set its own
 * @param maxTotalConcurrency module runs at once over all routes
 * @param concurrencyWait how long a request waits for a free slot before 503
 * @param maxTotalMemory heap bytes the module instances of all runs at once may take; 0 for the default
 *     ({@link #defaultMaxTotalMemory()})
 * @param routes the routes configured directly (not in the modules.toml)
 * @param demoRoutes the WAR's demo routes, which a user's route at the same place replaces (see {@link DemoRoutes})
 * @param statusRoute the route of the status page (routes and metrics), if enabled
 * @param statusRole the container role a user needs to see the status page
 * @param oci how {@code oci:} modules are pulled
 * @param moduleStackSize the stack of the threads modules run on, in bytes; 0: the container's request threads
 */
public record WagiSettings(
        Optional<Setting> modulesToml,
        EngineMode engine,
        Map<String, String> environment,
        Optional<RoutePattern> healthRoute,
        Duration reloadInterval,
        Optional<Setting> moduleCacheDir,
        Limits limits,
        int maxTotalConcurrency,
        Duration concurrencyWait,
        long maxTotalMemory,
        List<RouteConfig> routes,
        List<RouteConfig> demoRoutes,
        Optional<RoutePattern> statusRoute,
        String statusRole,
        Optional<Setting> codeCacheDir,
        long backgroundCompileSize,
        OciSettings oci,
        long moduleStackSize) {

    /** The default interval at which a modules.toml is checked for changes. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);

    /** The default number of module runs at once, over all routes of a filter. */
    public static final int DEFAULT_MAX_TOTAL_CONCURRENCY = 100;

    /** The default wait for a free slot before 503. */
    public static final Duration DEFAULT_CONCURRENCY_WAIT = Duration.ofSeconds(1);

    /**
     * The default stack of the threads modules run on: deep enough that Chicory, even interpreting,
     * recurses deeper than wasmtime's default wasm stack (512 KiB) allows the same module
     * (docs/limits.md has the measurements).
     */
    public static final long DEFAULT_MODULE_STACK_SIZE = 32L << 20;

    /** The smallest {@code module_stack_size} other than 0. */
    public static final long MIN_MODULE_STACK_SIZE = 1L << 20;

    /** The role that may see the status page unless {@code status-role} names another. */
    public static final String DEFAULT_STATUS_ROLE = "wagi-admin";

    /** Half the JVM's maximum heap: the default of {@code max_total_memory}. */
    public static long defaultMaxTotalMemory() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** {@link #maxTotalMemory()}, or the default if it is not set. */
    public long effectiveMaxTotalMemory() {
        return maxTotalMemory > 0 ? maxTotalMemory : defaultMaxTotalMemory();
    }

    /**
     * The runs at once of a route that sets no {@code max_concurrency}: half of
     * {@link #maxTotalConcurrency()} (rounded up), so that one route's flood leaves the others slots.
     */
    public int routeShare() {
        return (maxTotalConcurrency + 1) / 2;
    }

    public WagiSettings {
        environment = Map.copyOf(environment);
        routes = List.copyOf(routes);
        demoRoutes = List.copyOf(demoRoutes);
    }
}
