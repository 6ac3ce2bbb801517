package dev.wagiservlet.metrics;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Shows a filter's metrics as MXBeans, so JConsole and VisualVM list them under
 * {@code dev.wagiservlet}: one {@link WagiFilterMXBean}
 * ({@code dev.wagiservlet:type=Filter,webapp=/wagi,filter=wagi}) and one {@link RouteMXBean} per
 * route ({@code dev.wagiservlet:type=Route,webapp=/wagi,filter=wagi,route="/hello"}, with
 * {@code hosts="..."} for a route limited to some hosts). If the same webapp and filter are
 * registered already (the webapp deployed twice in one JVM, e.g. by Tomcat's parallel deployment),
 * the names get {@code instance=2}, 3, ...
 *
 * <p>{@link #close()} unregisters every bean: the MBean server lives as long as the JVM, and a
 * bean left in it would keep the webapp's class loader alive after undeploy.
 */
public final class JmxExporter implements MetricsExporter {

    /** The JMX domain of every bean. */
    public static final String DOMAIN = "dev.wagiservlet";

    private static final System.Logger LOG = System.getLogger(JmxExporter.class.getName());
    private static final int MAX_INSTANCES = 1000;

    private final MBeanServer server;
    private final FilterMetrics metrics;
    private final String base;
    private final ObjectName filterName;
    private final Map<RouteMetrics, ObjectName> routeNames = new ConcurrentHashMap<>();

    /** Registers the filter's bean in the platform MBean server. */
    public static JmxExporter register(FilterMetrics metrics) throws JMException {
        return new JmxExporter(metrics, ManagementFactory.getPlatformMBeanServer());
    }

    /**
     * Registers the filter's bean; the routes' beans come with {@link #routeAdded}.
     *
     * @throws JMException if the bean cannot be registered
     */
    public JmxExporter(FilterMetrics metrics, MBeanServer server) throws JMException {
        this.server = server;
        this.metrics = metrics;
        String identity = "webapp=" + value(metrics.webapp()) + ",filter=" + value(metrics.filterName());
        StandardMBean bean = new StandardMBean(new FilterBean(metrics), WagiFilterMXBean.class, true);
        String chosen = null;
        ObjectName chosenName = null;
        for (int instance = 1; chosen == null; instance++) {
            String candidate = identity + (instance == 1 ? "" : ",instance=" + instance);
            ObjectName name = new ObjectName(DOMAIN + ":type=Filter," + candidate);
            try {
                server.registerMBean(bean, name);
                chosen = candidate;
                chosenName = name;
            } catch (InstanceAlreadyExistsException e) {
                if (instance >= MAX_INSTANCES) {
                    throw e;
                }
            }
        }
        this.base = chosen;
        this.filterName = chosenName;
    }

    /** The filter bean's name. */
    public ObjectName filterName() {
        return filterName;
    }

    /** The name of a route's bean. */
    public ObjectName routeName(RouteInfo route) {
        try {
            return new ObjectName(DOMAIN + ":type=Route," + base + ",route=" + ObjectName.quote(route.route())
                    + (route.hosts().isEmpty() ? "" : ",hosts=" + ObjectName.quote(route.hostList())));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public void routeAdded(RouteMetrics route) {
        ObjectName name = routeName(route.info());
        try {
            server.registerMBean(new StandardMBean(new RouteBean(route, metrics.modules()), RouteMXBean.class, true), name);
            routeNames.put(route, name);
        } catch (JMException e) {
            LOG.log(Level.WARNING, "Cannot register the MBean {0}: {1}", name, e.toString());
        }
    }

    @Override
    public void routeRemoved(RouteMetrics route) {
        ObjectName name = routeNames.remove(route);
        if (name != null) {
            unregister(name);
        }
    }

    @Override
    public void close() {
        routeNames.values().forEach(this::unregister);
        routeNames.clear();
        unregister(filterName);
    }

    private void unregister(ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // someone else removed it: nothing left to do
        } catch (JMException e) {
            LOG.log(Level.WARNING, "Cannot unregister the MBean {0}: {1}", name, e.toString());
        }
    }

    /** An ObjectName value: as it is if it may stand unquoted, else quoted. */
    static String value(String text) {
        if (text.isEmpty() || text.chars().anyMatch(c -> ",=:\"*?\\\n".indexOf(c) >= 0)) {
            return ObjectName.quote(text);
        }
        return text;
    }

    private static final class FilterBean implements WagiFilterMXBean {
        private final FilterMetrics metrics;

        FilterBean(FilterMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public String getFilterName() {
            return metrics.filterName();
        }

        @Override
        public String getWebapp() {
            return metrics.webapp();
        }

        @Override
        public String getStartedAt() {
            return metrics.startedAt().toString();
        }

        @Override
        public long getStartupMillis() {
            return metrics.startupTime().map(Duration::toMillis).orElse(-1L);
        }

        @Override
        public String[] getRoutes() {
            return metrics.routes().stream().map(route -> route.info().key()).toArray(String[]::new);
        }

        @Override
        public int getRouteCount() {
            return metrics.routes().size();
        }

        @Override
        public long getRequests() {
            return metrics.requests();
        }

        @Override
        public long getInFlight() {
            return metrics.inFlight();
        }

        @Override
        public long getErrors() {
            return metrics.errors();
        }

        @Override
        public long getCacheHits() {
            return metrics.modules().hits();
        }

        @Override
        public long getCacheMisses() {
            return metrics.modules().misses();
        }

        @Override
        public double getCacheHitRatio() {
            return metrics.modules().hitRatio();
        }

        @Override
        public long getCompilations() {
            return metrics.modules().compilations();
        }

        @Override
        public long getCompileFailures() {
            return metrics.modules().compileFailures();
        }

        @Override
        public double getCompileMillisTotal() {
            return metrics.modules().compileNanos() / 1e6;
        }

        @Override
        public Map<String, Double> getModuleCompileMillis() {
            Map<String, Double> byFile = new TreeMap<>();
            metrics.modules().states().forEach(state -> byFile.put(state.file().toString(), state.compileMillis()));
            return byFile;
        }

        @Override
        public long getReloads() {
            return metrics.reloads();
        }

        @Override
        public long getReloadFailures() {
            return metrics.reloadFailures();
        }
    }

    private static final class RouteBean implements RouteMXBean {
        private final RouteMetrics route;
        private final ModuleMetrics modules;

        RouteBean(RouteMetrics route, ModuleMetrics modules) {
            this.route = route;
            this.modules = modules;
        }

        private Optional<ModuleMetrics.ModuleState> module() {
            return modules.state(route.info().module());
        }

        @Override
        public String getRoute() {
            return route.info().route();
        }

        @Override
        public String getHosts() {
            return route.info().hostList();
        }

        @Override
        public String getModule() {
            return route.info().module().toString();
        }

        @Override
        public String getEntrypoint() {
            return route.info().entrypoint();
        }

        @Override
        public String getEngine() {
            return route.info().engine();
        }

        @Override
        public long getModuleSize() {
            return module().map(ModuleMetrics.ModuleState::size).orElse(-1L);
        }

        @Override
        public String getCompileState() {
            return module().map(ModuleMetrics.ModuleState::state).orElse("not compiled");
        }

        @Override
        public double getCompileMillis() {
            return module().map(ModuleMetrics.ModuleState::compileMillis).orElse(0.0);
        }

        @Override
        public int getInterpretedFunctions() {
            return module().map(ModuleMetrics.ModuleState::interpretedFunctions).orElse(0);
        }

        @Override
        public long getRequests() {
            return route.requests();
        }

        @Override
        public long getInFlight() {
            return route.inFlight();
        }

        @Override
        public long getErrors() {
            return route.errors();
        }

        @Override
        public Map<String, Long> getErrorsByKind() {
            return route.errorsByKind();
        }

        @Override
        public Map<String, Long> getResponsesByStatusClass() {
            return route.responsesByStatusClass();
        }

        @Override
        public long getAborted() {
            return route.abortedCount();
        }

        @Override
        public double getLatencyMeanMillis() {
            return route.latency().snapshot().mean();
        }

        @Override
        public double getLatencyP50Millis() {
            return route.latency().percentileMillis(0.5);
        }

        @Override
        public double getLatencyP90Millis() {
            return route.latency().percentileMillis(0.9);
        }

        @Override
        public double getLatencyP99Millis() {
            return route.latency().percentileMillis(0.99);
        }

        @Override
        public double getLatencyMaxMillis() {
            return route.latency().maxNanos() / 1e6;
        }
    }
}
