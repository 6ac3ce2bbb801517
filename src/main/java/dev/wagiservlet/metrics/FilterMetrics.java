package dev.wagiservlet.metrics;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The metrics of one WAGI filter: one {@link RouteMetrics} per mounted route, the module cache's
 * {@link ModuleMetrics}, how long the filter took to start and how its reloads went; and the
 * {@link MetricsExporter}s that show them. Neither servlets nor an engine are involved: the filter
 * binds its routes with {@link #bind(List)} and records into what that returns.
 *
 * <p>A route keeps its metrics across reloads of the modules.toml as long as it keeps its route,
 * hosts, module file and entrypoint; otherwise it starts afresh.
 */
public final class FilterMetrics implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FilterMetrics.class.getName());

    private final String filterName;
    private final String webapp;
    private final Instant startedAt = Instant.now();
    private final ModuleMetrics modules = new ModuleMetrics();
    private final LongAdder reloads = new LongAdder();
    private final LongAdder reloadFailures = new LongAdder();
    private final List<MetricsExporter> exporters = new CopyOnWriteArrayList<>();
    private volatile long startupNanos = -1;
    private volatile List<RouteMetrics> routes = List.of();

    /**
     * @param filterName the filter's name
     * @param webapp the webapp's context path, {@code /} for the root
     */
    public FilterMetrics(String filterName, String webapp) {
        this.filterName = filterName;
        this.webapp = webapp;
    }

    public String filterName() {
        return filterName;
    }

    /** The webapp's context path, {@code /} for the root. */
    public String webapp() {
        return webapp;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** How long the filter took to start (compiling every module included); empty until it has started. */
    public Optional<Duration> startupTime() {
        long nanos = startupNanos;
        return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    /** The filter has started, after this long. */
    public void started(long nanos) {
        startupNanos = nanos;
    }

    /** A reload of the modules.toml ended: it replaced the routes, or failed and left them serving. */
    public void reloaded(boolean succeeded) {
        (succeeded ? reloads : reloadFailures).increment();
    }

    /** Reloads that replaced the routes. */
    public long reloads() {
        return reloads.sum();
    }

    /** Reloads that failed. */
    public long reloadFailures() {
        return reloadFailures.sum();
    }

    /** The module cache's metrics. */
    public ModuleMetrics modules() {
        return modules;
    }

    /** The routes mounted now, in configuration order. */
    public List<RouteMetrics> routes() {
        return routes;
    }

    /**
     * Makes these the routes: keeps the metrics of routes that stay the same, makes new ones for
     * the others, forgets the routes that are gone, and tells the exporters.
     *
     * @param routes the routes, in the order they are mounted
     * @param info what each route is
     * @param bound makes a route bound to its metrics
     * @return the bound routes, in the order given
     */
    public synchronized <T, R> List<R> bind(List<T> routes, Function<T, RouteInfo> info, BiFunction<T, RouteMetrics, R> bound) {
        Map<String, RouteMetrics> old = new LinkedHashMap<>();
        for (RouteMetrics route : this.routes) {
            old.put(route.info().key(), route);
        }
        List<RouteMetrics> next = new ArrayList<>(routes.size());
        List<R> result = new ArrayList<>(routes.size());
        List<RouteMetrics> added = new ArrayList<>();
        Set<RouteMetrics> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Path> files = new HashSet<>();
        for (T route : routes) {
            RouteInfo routeInfo = info.apply(route);
            files.add(routeInfo.module());
            RouteMetrics existing = old.get(routeInfo.key());
            RouteMetrics metrics;
            if (existing != null && existing.info().equals(routeInfo) && kept.add(existing)) {
                metrics = existing;
            } else {
                metrics = new RouteMetrics(routeInfo);
                added.add(metrics);
            }
            next.add(metrics);
            result.add(bound.apply(route, metrics));
        }
        this.routes = List.copyOf(next);
        modules.retain(files);
        for (RouteMetrics route : old.values()) {
            if (!kept.contains(route)) {
                exporters.forEach(exporter -> safely(() -> exporter.routeRemoved(route), exporter, "remove route " + route));
            }
        }
        for (RouteMetrics route : added) {
            exporters.forEach(exporter -> safely(() -> exporter.routeAdded(route), exporter, "add route " + route));
        }
        return result;
    }

    /** {@link #bind(List, Function, BiFunction)} for routes that are their own info: the metrics of each, in order. */
    public List<RouteMetrics> bind(List<RouteInfo> infos) {
        return bind(infos, Function.identity(), (info, metrics) -> metrics);
    }

    /** Shows these metrics through the exporter too, starting with the routes mounted now. */
    public synchronized void export(MetricsExporter exporter) {
        exporters.add(exporter);
        for (RouteMetrics route : routes) {
            safely(() -> exporter.routeAdded(route), exporter, "add route " + route);
        }
    }

    /** Requests to every route mounted now. */
    public long requests() {
        return routes.stream().mapToLong(RouteMetrics::requests).sum();
    }

    /** Requests under way on every route mounted now. */
    public long inFlight() {
        return routes.stream().mapToLong(RouteMetrics::inFlight).sum();
    }

    /** Errors of every route mounted now. */
    public long errors() {
        return routes.stream().mapToLong(RouteMetrics::errors).sum();
    }

    /** Closes every exporter: the metrics are no longer shown anywhere. */
    @Override
    public synchronized void close() {
        for (MetricsExporter exporter : exporters) {
            safely(exporter::close, exporter, "close");
        }
        exporters.clear();
    }

    private static void safely(Runnable action, MetricsExporter exporter, String what) {
        try {
            action.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Metrics exporter " + exporter.getClass().getSimpleName() + " failed to " + what, e);
        }
    }
}
