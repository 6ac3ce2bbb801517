package dev.wagiservlet.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A filter's metrics as Micrometer meters, each a function of the recorded data (nothing is
 * recorded twice). Every meter has the tags {@code webapp} and {@code filter}; route meters also
 * {@code route} (and {@code hosts} if the route has some):
 *
 * <pre>
 * wagi.requests                      function counter
 * wagi.requests.active               gauge: requests under way
 * wagi.request.errors                function counter, tag kind (trap, exit, link, ..., see ErrorKind)
 * wagi.request.aborted               function counter: connections aborted mid-response
 * wagi.responses                     function counter, tag status (1xx ... 5xx)
 * wagi.request.duration              function timer: count and total time
 * wagi.request.duration.max          time gauge
 * wagi.request.duration.percentile   time gauge, tag phi (0.5, 0.9, 0.99)
 * wagi.module.cache.gets             function counter, tag result (hit, miss)
 * wagi.module.compilations           function timer: compiles and their total time
 * wagi.module.compile.failures       function counter
 * wagi.module.compile.time           time gauge of a module's last compile, tag module (the file)
 * </pre>
 *
 * <p>Loaded only after {@link MicrometerSupport#isAvailable} said yes. {@link #close()} removes
 * every meter it registered from the registry.
 */
final class MicrometerMeters implements MetricsExporter {

    private static final double[] PERCENTILES = {0.5, 0.9, 0.99};

    private final MeterRegistry registry;
    private final FilterMetrics metrics;
    private final Tags filterTags;
    private final List<Meter> filterMeters = new ArrayList<>();
    private final Map<RouteMetrics, List<Meter>> routeMeters = new HashMap<>();
    private final Map<Path, Meter> moduleMeters = new HashMap<>();
    private final Map<Path, Integer> moduleUsers = new HashMap<>();

    private MicrometerMeters(MeterRegistry registry, FilterMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        this.filterTags = Tags.of("webapp", metrics.webapp(), "filter", metrics.filterName());
    }

    /** @param registry a {@code MeterRegistry}, or anything else for the global registry */
    static MetricsExporter bind(FilterMetrics metrics, Object registry) {
        MicrometerMeters meters = new MicrometerMeters(registry instanceof MeterRegistry r ? r : Metrics.globalRegistry, metrics);
        meters.registerFilterMeters();
        return meters;
    }

    private void registerFilterMeters() {
        ModuleMetrics modules = metrics.modules();
        filterMeters.add(FunctionCounter.builder("wagi.module.cache.gets", modules, ModuleMetrics::hits)
                .tags(filterTags).tag("result", "hit").description("Module cache lookups").register(registry));
        filterMeters.add(FunctionCounter.builder("wagi.module.cache.gets", modules, ModuleMetrics::misses)
                .tags(filterTags).tag("result", "miss").description("Module cache lookups").register(registry));
        filterMeters.add(FunctionTimer.builder("wagi.module.compilations", modules, ModuleMetrics::compilations,
                        ModuleMetrics::compileNanos, TimeUnit.NANOSECONDS)
                .tags(filterTags).description("Module compiles and their time").register(registry));
        filterMeters.add(FunctionCounter.builder("wagi.module.compile.failures", modules, ModuleMetrics::compileFailures)
                .tags(filterTags).description("Module compiles that failed").register(registry));
    }

    @Override
    public synchronized void routeAdded(RouteMetrics route) {
        RouteInfo info = route.info();
        Tags tags = filterTags.and("route", info.route());
        if (!info.hosts().isEmpty()) {
            tags = tags.and("hosts", info.hostList());
        }
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("wagi.requests", route, RouteMetrics::requests)
                .tags(tags).description("Requests to a WAGI route").register(registry));
        meters.add(Gauge.builder("wagi.requests.active", route, RouteMetrics::inFlight)
                .tags(tags).description("Requests to a WAGI route under way").register(registry));
        for (ErrorKind kind : ErrorKind.ALL) {
            meters.add(FunctionCounter.builder("wagi.request.errors", route, r -> r.errors(kind))
                    .tags(tags).tag("kind", kind.label()).description("Requests to a WAGI route that failed, by kind")
                    .register(registry));
        }
        meters.add(FunctionCounter.builder("wagi.request.aborted", route, RouteMetrics::abortedCount)
                .tags(tags).description("Connections aborted because the module failed mid-response").register(registry));
        String[] classes = RouteMetrics.statusClasses();
        for (int i = 0; i < classes.length; i++) {
            int statusClass = i + 1;
            meters.add(FunctionCounter.builder("wagi.responses", route, r -> r.responses(statusClass))
                    .tags(tags).tag("status", classes[i]).description("Responses of a WAGI route, by status class")
                    .register(registry));
        }
        meters.add(FunctionTimer.builder("wagi.request.duration", route, r -> r.latency().count(),
                        r -> r.latency().totalNanos(), TimeUnit.NANOSECONDS)
                .tags(tags).description("Time from a request reaching a WAGI route to its response").register(registry));
        meters.add(TimeGauge.builder("wagi.request.duration.max", route, TimeUnit.MILLISECONDS, r -> r.latency().maxNanos() / 1e6)
                .tags(tags).description("The longest request to a WAGI route").register(registry));
        for (double phi : PERCENTILES) {
            meters.add(TimeGauge.builder("wagi.request.duration.percentile", route, TimeUnit.MILLISECONDS,
                            r -> r.latency().percentileMillis(phi))
                    .tags(tags).tag("phi", Double.toString(phi))
                    .description("Percentiles of the time of requests to a WAGI route, since it was mounted").register(registry));
        }
        routeMeters.put(route, meters);
        Path module = info.module();
        if (moduleUsers.merge(module, 1, Integer::sum) == 1) {
            ModuleMetrics modules = metrics.modules();
            moduleMeters.put(module, TimeGauge.builder("wagi.module.compile.time", modules, TimeUnit.MILLISECONDS,
                            m -> m.state(module).map(ModuleMetrics.ModuleState::compileMillis).orElse(Double.NaN))
                    .tags(filterTags).tag("module", module.toString()).description("How long a module's last compile took")
                    .register(registry));
        }
    }

    @Override
    public synchronized void routeRemoved(RouteMetrics route) {
        List<Meter> meters = routeMeters.remove(route);
        if (meters == null) {
            return;
        }
        meters.forEach(registry::remove);
        Path module = route.info().module();
        Integer users = moduleUsers.computeIfPresent(module, (file, n) -> n == 1 ? null : n - 1);
        if (users == null) {
            Meter meter = moduleMeters.remove(module);
            if (meter != null) {
                registry.remove(meter);
            }
        }
    }

    @Override
    public synchronized void close() {
        routeMeters.values().forEach(meters -> meters.forEach(registry::remove));
        routeMeters.clear();
        moduleMeters.values().forEach(registry::remove);
        moduleMeters.clear();
        moduleUsers.clear();
        filterMeters.forEach(registry::remove);
        filterMeters.clear();
    }
}
