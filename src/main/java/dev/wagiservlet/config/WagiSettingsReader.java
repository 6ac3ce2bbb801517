package dev.wagiservlet.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns settings by canonical key (as {@link InitParameters} and {@link MicroProfileSettings}
 * produce them) into {@link WagiSettings}. Keys:
 *
 * <pre>
 * modules_toml          a modules.toml to load routes from
 * engine                compiler (default), interpreter, wasmtime or auto
 * environment.NAME      an environment variable for every module
 * health_route          a route answering 200 OK, e.g. /healthz (off unless set)
 * status_route          a route showing the routes and their metrics, e.g. /wagi-status (off unless set)
 * status_role           the container role that may see the status route (default wagi-admin)
 * reload_interval       how often the modules.toml is checked for changes (default 2s; 0s disables)
 * module_cache_dir      where modules downloaded from http(s) URLs and OCI registries are kept
 * oci_insecure_registries  registries (host:port) pulled from over plain HTTP (default localhost:5000, 127.0.0.1:5000)
 * oci_username, oci_password  credentials for registries that ask and have none in the Docker config
 * oci_docker_config     the Docker config.json with credentials per registry (default: as docker; off: none)
 * code_cache_dir        where compiled code is kept across restarts (default: the webapp's temp dir; off: none)
 * background_compile_size  modules at least this large compile in the background at startup (default: none)
 * max_total_concurrency module runs at once over all routes (default 100)
 * concurrency_wait      how long a request waits for a free slot before 503 (default 1s)
 * demo_routes           true: web.xml's routes are a demo, left out once routes are configured elsewhere
 * max_total_memory      heap the instances of all runs at once may take (default: half the maximum heap)
 * module_stack_size     the stack of the threads modules run on (default 32MiB; 0: the container's request threads)
 * timeout, max_memory, max_concurrency, max_body_size, max_header_size, max_output_size, max_stderr_size,
 * max_stderr_lines:     the default limits of every route (see {@link Limits})
 * routes.NAME.KEY       a route; NAME groups its keys; KEY as in {@link RouteReader}
 * </pre>
 *
 * An unknown key fails: a typo never silently drops a setting.
 */
public final class WagiSettingsReader {

    private static final String ROUTES = "routes.";

    private WagiSettingsReader() {}

    /** {@code modules-toml} becomes {@code modules_toml}; route keys as {@link RouteReader#canonical}. */
    public static String canonical(String key) {
        if (key.startsWith(ROUTES)) {
            String rest = key.substring(ROUTES.length());
            int dot = rest.indexOf('.');
            return dot < 0 ? key : ROUTES + rest.substring(0, dot) + "." + RouteReader.canonical(rest.substring(dot + 1));
        }
        return RouteReader.canonical(key);
    }

    /**
     * @param settings by canonical key
     * @param origin the source of settings as a whole (for a route's origin), e.g. {@code web.xml filter 'wagi'}
     */
    public static WagiSettings read(Map<String, Setting> settings, String origin) {
        return read(settings, origin, Set.of());
    }

    /**
     * @param settings by canonical key
     * @param origin the source of settings as a whole (for a route's origin), e.g. {@code web.xml filter 'wagi'}
     * @param demoNames the names of the routes that are the WAR's demo (see {@link DemoRoutes#names})
     */
    public static WagiSettings read(Map<String, Setting> settings, String origin, Set<String> demoNames) {
        Optional<Setting> modulesToml = Optional.empty();
        Optional<Setting> moduleCacheDir = Optional.empty();
        Optional<Setting> codeCacheDir = Optional.empty();
        long backgroundCompileSize = 0;
        Optional<dev.wagiservlet.routing.RoutePattern> healthRoute = Optional.empty();
        Optional<dev.wagiservlet.routing.RoutePattern> statusRoute = Optional.empty();
        String statusRole = WagiSettings.DEFAULT_STATUS_ROLE;
        EngineMode engine = EngineMode.COMPILER;
        Duration reload = WagiSettings.DEFAULT_RELOAD_INTERVAL;
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, Map<String, Setting>> routeKeys = new TreeMap<>();
        Map<String, Setting> limitKeys = new LinkedHashMap<>();
        int maxTotalConcurrency = WagiSettings.DEFAULT_MAX_TOTAL_CONCURRENCY;
        Duration concurrencyWait = WagiSettings.DEFAULT_CONCURRENCY_WAIT;
        long maxTotalMemory = 0;
        long moduleStackSize = WagiSettings.DEFAULT_MODULE_STACK_SIZE;
        Map<String, Setting> ociKeys = new LinkedHashMap<>();
        for (Map.Entry<String, Setting> entry : new TreeMap<>(settings).entrySet()) {
            String key = entry.getKey();
            Setting setting = entry.getValue();
            if (key.startsWith(ROUTES)) {
                String rest = key.substring(ROUTES.length());
                int dot = rest.indexOf('.');
                if (dot <= 0 || dot == rest.length() - 1) {
                    throw setting.error("expected routes.NAME.KEY, e.g. routes.hello.route");
                }
                routeKeys.computeIfAbsent(rest.substring(0, dot), name -> new LinkedHashMap<>()).put(rest.substring(dot + 1), setting);
            } else if (Limits.KEYS.contains(key)) {
                limitKeys.put(key, setting);
            } else if (OciSettings.KEYS.contains(key)) {
                ociKeys.put(key, setting);
            } else if (key.startsWith("environment.") && key.length() > "environment.".length()) {
                environment.put(RouteReader.environmentName(key.substring("environment.".length()), setting), setting.value());
            } else {
                switch (key) {
                    case "modules_toml" -> modulesToml = setting.value().isBlank() ? Optional.empty() : Optional.of(setting);
                    case "module_cache_dir" -> moduleCacheDir = Optional.of(setting);
                    case "code_cache_dir" -> codeCacheDir = Optional.of(setting);
                    case "background_compile_size" -> backgroundCompileSize = setting.size();
                    case "engine" -> engine = EngineMode.parse(setting);
                    case "health_route" -> healthRoute = Optional.of(RouteReader.route(setting));
                    case "status_route" -> statusRoute = Optional.of(RouteReader.route(setting));
                    case "status_role" -> statusRole = role(setting);
                    case "reload_interval" -> reload = setting.duration();
                    case "max_total_concurrency" -> maxTotalConcurrency = setting.positiveInt();
                    case "concurrency_wait" -> concurrencyWait = setting.duration();
                    case "max_total_memory" -> maxTotalMemory = positiveSize(setting);
                    case "module_stack_size" -> moduleStackSize = stackSize(setting);
                    case "demo_routes" -> DemoRoutes.isTrue(setting); // applied when the sources are merged (DemoRoutes)
                    default -> throw setting.error("unknown key; known keys are " + Keys.list(Keys.ofFilter(), true)
                            + " and routes.NAME.KEY");
                }
            }
        }
        List<RouteConfig> routes = new ArrayList<>();
        List<RouteConfig> demoRoutes = new ArrayList<>();
        routeKeys.forEach((name, keys) -> (demoNames.contains(name) ? demoRoutes : routes)
                .add(RouteReader.read(keys, Location.WEBAPP_ROOT, origin + ", route '" + name + "'")));
        return new WagiSettings(modulesToml, engine, environment, healthRoute, reload, moduleCacheDir,
                Limits.DEFAULTS.with(limitKeys), maxTotalConcurrency, concurrencyWait, maxTotalMemory, routes, demoRoutes, statusRoute,
                statusRole, codeCacheDir,
                backgroundCompileSize, OciSettings.read(ociKeys), moduleStackSize);
    }

    private static long stackSize(Setting setting) {
        long size = setting.size();
        if (size != 0 && (size < WagiSettings.MIN_MODULE_STACK_SIZE || size > 1L << 30)) {
            throw setting.error("must be 0 (run modules on the container's request threads) or between 1MiB and 1GiB");
        }
        return size;
    }

    private static long positiveSize(Setting setting) {
        long size = setting.size();
        if (size <= 0) {
            throw setting.error("must be more than zero");
        }
        return size;
    }

    /** A role name: not empty, no white space ({@code *} and {@code **} are not roles here either). */
    private static String role(Setting setting) {
        String role = setting.required();
        if (role.chars().anyMatch(Character::isWhitespace) || role.equals("*") || role.equals("**")) {
            throw setting.error("'" + setting.value() + "' is not a role name");
        }
        return role;
    }
}
