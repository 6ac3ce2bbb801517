package dev.wagiservlet.metrics;

/**
 * Shows a filter's metrics somewhere (JMX, Micrometer): told of each route that appears or goes,
 * and closed with the filter, when it must let go of everything it registered, so nothing outside
 * the webapp keeps its class loader alive after undeploy.
 */
public interface MetricsExporter extends AutoCloseable {

    /** A route is mounted (at start, or by a reload). */
    void routeAdded(RouteMetrics route);

    /** A route is gone (a reload dropped it, or changed its module or entrypoint). */
    void routeRemoved(RouteMetrics route);

    /** Removes everything this exporter registered. */
    @Override
    void close();
}
