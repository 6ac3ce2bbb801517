package dev.wagiservlet.filter;

import dev.wagiservlet.cache.ModuleCache;
import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.DemoRoutes;
import dev.wagiservlet.config.EngineMode;
import dev.wagiservlet.config.InitParameters;
import dev.wagiservlet.config.MicroProfileSettings;
import dev.wagiservlet.config.SystemSettings;
import dev.wagiservlet.config.Setting;
import dev.wagiservlet.config.WagiSettings;
import dev.wagiservlet.config.WagiSettingsReader;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.chicory.ChicoryEngine;
import dev.wagiservlet.metrics.FilterMetrics;
import dev.wagiservlet.metrics.JmxExporter;
import dev.wagiservlet.metrics.MicrometerSupport;
import dev.wagiservlet.routing.RawPath;
import dev.wagiservlet.routing.RouteMatch;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WAGI as a servlet filter: requests whose path matches a configured route are served by that
 * route's WebAssembly module, as CGI; every other request goes on down the filter chain, so the
 * webapp's own servlets and static files keep working.
 *
 * <p>Settings come from the filter's init-params, overlaid key by key by MicroProfile Config
 * ({@code wagi.*} properties, {@code WAGI_*} environment variables; without MicroProfile Config,
 * the same system properties and environment variables: {@link SystemSettings}), and routes also from a wagi
 * {@code modules.toml}; see {@link WagiSettingsReader}. Every module is compiled when the filter
 * starts; a bad configuration fails the deployment with a message naming the key and the file. A
 * changed modules.toml is picked up within the reload interval; a reload that fails keeps the last
 * good routes serving.
 *
 * <p>Each route's requests, errors, latencies, and the module cache's work are recorded in
 * {@link FilterMetrics}, shown as MXBeans (domain {@code dev.wagiservlet}), as Micrometer meters
 * when Micrometer is on the class path, and on the status page ({@code status-route}) to users in
 * the {@code status-role}; see docs/status-and-metrics.md.
 */
public class WagiFilter implements Filter {

    /** Context attribute prefix under which each filter publishes its routes (a {@code List<MountedRoute>}). */
    public static final String ROUTES_ATTRIBUTE = WagiFilter.class.getName() + ".routes.";

    private static final System.Logger LOG = System.getLogger(WagiFilter.class.getName());
    private static final long MAXIMUM_CACHED_MODULES = 1_000;
    /** How long destroy() waits for the requests it stopped to send their answer. */
    private static final long STOP_WAIT_MILLIS = 5_000;

    private volatile Routing routing;
    private WasmEngine engine;
    private ModuleCache modules;
    private ModulesTomlWatcher watcher;
    private RouteMounter mounter;
    private RunGuards guards;
    private CgiExchange exchange;
    private ServletContext context;
    private String routesAttribute;
    private FilterMetrics metrics;
    private StatusRoute status;
    private String name;
    /** Requests inside {@link CgiExchange#serve}: destroy() lets them answer before the webapp goes. */
    private final AtomicInteger serving = new AtomicInteger();

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        long start = System.nanoTime();
        name = filterConfig.getFilterName();
        context = filterConfig.getServletContext();
        routesAttribute = ROUTES_ATTRIBUTE + name;
        try {
            WagiSettings settings = settings(filterConfig, "web.xml filter '" + name + "'");
            metrics = new FilterMetrics(name, context.getContextPath().isEmpty() ? "/" : context.getContextPath());
            engine = new ChicoryEngine(settings.engine() == EngineMode.COMPILER, codeCacheDirectory(settings));
            modules = new ModuleCache(engine, MAXIMUM_CACHED_MODULES, metrics.modules());
            guards = new RunGuards();
            exchange = new CgiExchange(modules, new Admission(settings.maxTotalConcurrency(), settings.concurrencyWait()), guards,
                    new MemoryBudget(settings.effectiveMaxTotalMemory()));
            mounter = new RouteMounter(new ModuleFiles(context, new ModuleDownloads(downloadDirectory(settings))), modules);
            publish(mounter.mount(settings));
            export(metrics);
            status = settings.statusRoute().map(route -> new StatusRoute(route, settings.statusRole(), metrics)).orElse(null);
            if (!settings.reloadInterval().isZero()) {
                RouteMounter reloader = mounter;
                mounter.modulesTomlFile(settings).ifPresent(file -> watcher = new ModulesTomlWatcher(file, settings.reloadInterval(),
                        () -> reload(reloader, settings, file)));
            }
        } catch (ConfigException e) {
            close();
            LOG.log(Level.ERROR, "WAGI filter ''{0}'' cannot start: {1}", name, e.getMessage());
            throw new ServletException(e.getMessage(), e);
        }
        long startup = System.nanoTime() - start;
        metrics.started(startup);
        LOG.log(Level.INFO, "WAGI filter ''{0}'' serves {1} route(s); started in {2} ms", name,
                Integer.toString(routing.table().entries().size()), Long.toString(TimeUnit.NANOSECONDS.toMillis(startup)));
    }

    /** Shows the metrics as MXBeans and, if Micrometer is there, as meters; neither is needed to serve. */
    private void export(FilterMetrics metrics) {
        try {
            metrics.export(JmxExporter.register(metrics));
        } catch (javax.management.JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "WAGI filter ''{0}'': cannot register its MBeans: {1}", metrics.filterName(), e.toString());
        }
        if (MicrometerSupport.isAvailable(WagiFilter.class.getClassLoader())) {
            try {
                metrics.export(MicrometerSupport.export(metrics, context.getAttribute(MicrometerSupport.REGISTRY_ATTRIBUTE)));
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "WAGI filter ''{0}'': cannot register its Micrometer meters: {1}", metrics.filterName(), e.toString());
            }
        }
    }

    private static WagiSettings settings(FilterConfig filterConfig, String origin) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String param : Collections.list(filterConfig.getInitParameterNames())) {
            params.put(param, filterConfig.getInitParameter(param));
        }
        Map<String, Setting> microProfile = Map.of();
        ClassLoader loader = filterConfig.getServletContext().getClassLoader();
        if (MicroProfileSettings.isAvailable(loader)) {
            try (MicroProfileSettings config = MicroProfileSettings.load(loader)) {
                microProfile = config.settings();
            }
        } else { // a webapp of one's own with only the library: the same wagi.* / WAGI_* names, read directly
            LOG.log(Level.INFO, "WAGI filter ''{0}'': {1}", filterConfig.getFilterName(), SystemSettings.WITHOUT_MICROPROFILE);
            microProfile = SystemSettings.fromSystem();
        }
        Map<String, Setting> webXml = InitParameters.read(params, origin);
        Map<String, Setting> settings = new LinkedHashMap<>(webXml);
        settings.putAll(microProfile); // key by key
        return WagiSettingsReader.read(settings, origin, DemoRoutes.names(webXml, settings));
    }

    /** Where compiled code is kept across restarts: the setting, the webapp's temp dir, or nowhere ({@code off}). */
    private Path codeCacheDirectory(WagiSettings settings) {
        if (settings.codeCacheDir().isPresent()) {
            String dir = settings.codeCacheDir().get().required();
            return dir.equalsIgnoreCase("off") ? null : Path.of(dir);
        }
        return ((File) context.getAttribute(ServletContext.TEMPDIR)).toPath().resolve("wagi-code-cache");
    }

    private Path downloadDirectory(WagiSettings settings) {
        return settings.moduleCacheDir().map(setting -> Path.of(setting.required()))
                .orElseGet(() -> ((File) context.getAttribute(ServletContext.TEMPDIR)).toPath().resolve("wagi-downloads"));
    }

    private void reload(RouteMounter mounter, WagiSettings settings, Path file) {
        long start = System.nanoTime();
        try {
            publish(mounter.mount(settings));
            metrics.reloaded(true);
            LOG.log(Level.INFO, "Reloaded {0}: {1} route(s) in {2} ms", file, Integer.toString(routing.table().entries().size()),
                    Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
        } catch (ConfigException e) {
            metrics.reloaded(false);
            LOG.log(Level.ERROR, "Reloading {0} failed; the routes that were serving stay: {1}", file, e.getMessage());
        } catch (RuntimeException | Error e) {
            metrics.reloaded(false);
            LOG.log(Level.ERROR, "Reloading " + file + " failed; the routes that were serving stay", e);
        }
    }

    private void publish(Routing next) {
        routing = next.withMetrics(metrics.bind(next.routeInfos()));
        context.setAttribute(routesAttribute, next.routes());
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse httpResponse) {
            Routing current = routing;
            String uri = http.getRequestURI();
            String contextPath = http.getContextPath();
            String path = uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
            if (current.healthRoute().isPresent() && current.healthRoute().get().matches(path)) {
                ServletResponseSink.sendError(httpResponse, 200, "OK"); // wagi's /healthz: 200 OK, as plain text
                return;
            }
            if (status != null && status.matches(path)) {
                status.serve(http, httpResponse);
                return;
            }
            Optional<RouteMatch<MountedRoute>> match = current.table().match(path, http.getServerName(), http.getServerPort());
            String normalised = containerPath(http);
            if (!RawPath.agrees(path, normalised)) {
                Optional<RouteMatch<MountedRoute>> either = match.isPresent() || normalised == null ? match
                        : current.table().match(normalised, http.getServerName(), http.getServerPort());
                if (either.isPresent()) {
                    exchange.refusePath(either.get(), current, path, normalised, httpResponse);
                    return;
                }
            }
            if (match.isPresent()) {
                serving.incrementAndGet();
                try {
                    exchange.serve(match.get(), current, http, httpResponse);
                } finally {
                    serving.decrementAndGet();
                }
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * The path the container authorised and mapped: decoded and normalised, relative to the
     * context; null if the container cannot give one (Jetty refuses ambiguous paths this way).
     */
    private static String containerPath(HttpServletRequest request) {
        try {
            String pathInfo = request.getPathInfo();
            return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Stops the runs still under way (they answer 503), waits a moment for those requests to send
     * their answer, so that none is still in the webapp's code when the container goes on to stop
     * its class loader, then closes the module cache, the engine and every thread of the filter.
     */
    @Override
    public void destroy() {
        long start = System.nanoTime();
        if (context != null) {
            context.removeAttribute(routesAttribute);
        }
        int stopped = guards == null ? 0 : guards.size();
        if (guards != null) {
            guards.close(); // runs still under way end now (503), so no module outlives the webapp
            guards = null;
        }
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        while (serving.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (serving.get() > 0) {
            LOG.log(Level.WARNING, "WAGI filter ''{0}'': {1} request(s) still under way after {2} ms; they end when their I/O returns",
                    name, Integer.toString(serving.get()), Long.toString(STOP_WAIT_MILLIS));
        }
        close();
        LOG.log(Level.INFO, "WAGI filter ''{0}'' stopped in {1} ms: {2} module run(s) under way were stopped; compiled modules"
                + " and threads released", name, Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)),
                Integer.toString(stopped));
    }

    private void close() {
        if (metrics != null) {
            metrics.close(); // unregisters the MBeans and meters, which would keep the webapp's class loader
        }
        if (guards != null) {
            guards.close(); // runs still under way end now (503), so no module outlives the webapp
            guards = null;
        }
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        if (mounter != null) {
            mounter.close(); // after the watcher, whose reloads use it
            mounter = null;
        }
        if (modules != null) {
            modules.close();
            modules = null;
        }
        if (engine != null) {
            engine.close(); // its outbound HTTP clients' threads must not outlive the webapp
            engine = null;
        }
        RecordMethodCaches.release(); // on JDK 17 the JDK itself would keep one of our records, and so the webapp
    }
}
