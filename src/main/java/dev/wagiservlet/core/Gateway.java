package dev.wagiservlet.core;

import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.EngineMode;
import dev.wagiservlet.config.WagiSettings;
import dev.wagiservlet.engine.WasmEngineProvider;
import dev.wagiservlet.metrics.FilterMetrics;
import dev.wagiservlet.oci.OciModules;
import dev.wagiservlet.routing.RawPath;
import dev.wagiservlet.routing.RouteMatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WAGI without servlets: the routes, the compiled modules, and everything a request needs from its
 * match to its answer ({@link Exchange}), behind a small {@link HttpPort}. The servlet filter is a
 * thin adapter around it, as Jetty 12's servlet handlers are around its core handlers.
 *
 * <p>Started from settings, it compiles every module (a bad configuration fails the start with a
 * message naming the key and the file), then serves until {@link #stop()}; a changed modules.toml
 * is mounted anew within the reload interval, and a reload that fails keeps the last good routes.
 */
public final class Gateway implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());
    private static final long MAXIMUM_CACHED_MODULES = 1_000;
    /** How long {@link #stop()} waits for the requests it stopped to send their answer. */
    private static final long STOP_WAIT_MILLIS = 5_000;
    private static final long SWEEP_MILLIS = 20;

    private final String name;
    private final FilterMetrics metrics;
    private final EngineSet engines;
    private final RunSupervisor supervisor = new RunSupervisor();
    private final OutputRelay relay = new OutputRelay();
    private final ModuleThreads threads;
    private final Exchange.Services services;
    private final RouteMounter mounter;
    private final Ticker ticker;
    private ModulesTomlWatcher watcher;
    private volatile RouteSet routes = RouteSet.EMPTY;
    /** Requests inside {@link Exchange#serve}: {@link #stop()} lets them answer before the webapp goes. */
    private final AtomicInteger serving = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Gateway(String name, WagiSettings settings, Webapp webapp, FilterMetrics metrics, EngineSet engines) {
        this.name = name;
        this.metrics = metrics;
        this.engines = engines;
        this.threads = new ModuleThreads("wagi-module", settings.moduleStackSize());
        this.services = new Exchange.Services(engines, new Admission(settings.maxTotalConcurrency(), settings.concurrencyWait()),
                supervisor, relay, new MemoryBudget(settings.effectiveMaxTotalMemory()), threads);
        Path downloads = downloadDirectory(settings, webapp);
        this.mounter = new RouteMounter(new ModuleFiles(webapp, new ModuleDownloads(downloads), new OciModules(downloads, settings.oci())),
                engines, threads);
        this.ticker = new Ticker(SWEEP_MILLIS, List.of(supervisor::sweep, relay::sweep));
    }

    /**
     * Starts a gateway: makes its engine, mounts its routes, compiling every module, and watches
     * the modules.toml.
     *
     * @param name the filter's name, for log lines
     * @throws ConfigException naming the key and the file of the first thing that is wrong; nothing is left running
     */
    public static Gateway start(String name, WagiSettings settings, Webapp webapp, FilterMetrics metrics) {
        EngineSet engines = new EngineSet(Gateway.class.getClassLoader(), settings.engine(), new WasmEngineProvider.Options(
                settings.engine().chicoryInterprets(), codeCacheDirectory(settings, webapp), settings.moduleStackSize()),
                MAXIMUM_CACHED_MODULES, metrics.modules());
        try {
            engines.engine(EngineSet.CHICORY); // always: the fallback of auto, and what routes run on by default
            if (settings.engine() == EngineMode.WASMTIME) {
                engines.engine(EngineSet.WASMTIME); // asked for by name: not here is a failed start
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            engines.close();
            throw new ConfigException("engine: " + e.getMessage(), e);
        }
        Gateway gateway = new Gateway(name, settings, webapp, metrics, engines);
        try {
            gateway.routes = RouteSet.bind(gateway.mounter.mount(settings), metrics);
            if (!settings.reloadInterval().isZero()) {
                gateway.mounter.modulesTomlFile(settings).ifPresent(file -> gateway.watcher = new ModulesTomlWatcher(file,
                        settings.reloadInterval(), () -> gateway.reload(settings, file)));
            }
            return gateway;
        } catch (RuntimeException | Error e) {
            gateway.close();
            throw e;
        }
    }

    /** Where compiled code is kept across restarts: the setting, the webapp's temp dir, or nowhere ({@code off}). */
    private static Optional<Path> codeCacheDirectory(WagiSettings settings, Webapp webapp) {
        if (settings.codeCacheDir().isPresent()) {
            String dir = settings.codeCacheDir().get().required();
            return dir.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(Path.of(dir));
        }
        return Optional.of(webapp.tempDirectory().resolve("wagi-code-cache"));
    }

    private static Path downloadDirectory(WagiSettings settings, Webapp webapp) {
        return settings.moduleCacheDir().map(setting -> Path.of(setting.required()))
                .orElseGet(() -> webapp.tempDirectory().resolve("wagi-downloads"));
    }

    private void reload(WagiSettings settings, Path file) {
        long start = System.nanoTime();
        try {
            routes = RouteSet.bind(mounter.mount(settings), metrics);
            metrics.reloaded(true);
            LOG.log(Level.INFO, "Reloaded {0}: {1} route(s) in {2} ms", file, Integer.toString(routes.routes().size()),
                    Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
        } catch (ConfigException e) {
            metrics.reloaded(false);
            LOG.log(Level.ERROR, "Reloading {0} failed; the routes that were serving stay: {1}", file, e.getMessage());
        } catch (RuntimeException | Error e) {
            metrics.reloaded(false);
            LOG.log(Level.ERROR, "Reloading " + file + " failed; the routes that were serving stay", e);
        }
    }

    /** The routes served now. */
    public List<Route> routes() {
        return routes.routes();
    }

    /**
     * Serves the request if the health route or one of the routes is for it.
     *
     * @param path the raw request path, relative to the context path
     * @param host the host the client addressed
     * @param serverPort the port the client addressed
     * @return false if nothing here is for the request: the adapter passes it on
     * @throws ResponseAborted if the module failed after the response was committed: the connection must be aborted
     */
    public boolean serve(HttpPort port, String path, String host, int serverPort) throws IOException, ResponseAborted {
        RouteSet current = routes;
        if (current.healthRoute().isPresent() && current.healthRoute().get().matches(path)) {
            port.answer(200, "OK"); // wagi's /healthz: 200 OK, as plain text
            return true;
        }
        Optional<RouteMatch<Route>> match = current.table().match(path, host, serverPort);
        String normalised = port.normalisedPath();
        if (!RawPath.agrees(path, normalised)) {
            Optional<RouteMatch<Route>> either = match.isPresent() || normalised == null ? match
                    : current.table().match(normalised, host, serverPort);
            if (either.isPresent()) {
                new Exchange(services, current, either.get(), port).refusePath(path, normalised);
                return true;
            }
        }
        if (match.isEmpty()) {
            return false;
        }
        serving.incrementAndGet();
        try {
            new Exchange(services, current, match.get(), port).serve();
        } finally {
            serving.decrementAndGet();
        }
        return true;
    }

    /**
     * Stops the runs still under way (they answer 503), waits a moment for those requests to send
     * their answer, so that none is still in the webapp's code when the container goes on to stop
     * its class loader, then {@link #close() closes} the gateway.
     */
    public void stop() {
        long start = System.nanoTime();
        int stopped = supervisor.size();
        supervisor.stopAll(); // runs still under way end now (503), so no module outlives the webapp
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

    /** Releases the threads, the compiled modules and the engine; runs still under way are stopped first. Only the first call does. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        supervisor.stopAll();
        ticker.close();
        relay.close();
        if (watcher != null) {
            watcher.close();
        }
        mounter.close(); // after the watcher, whose reloads use it
        threads.close(); // after the runs were stopped and the last mount ran
        engines.close(); // the caches, then the engines: their threads must not outlive the webapp
    }
}
