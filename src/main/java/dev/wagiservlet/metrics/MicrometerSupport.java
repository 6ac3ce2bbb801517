package dev.wagiservlet.metrics;

/**
 * Whether Micrometer is there, and the way to it. This class never touches a Micrometer class;
 * {@link MicrometerMeters}, which does, is loaded only by {@link #export} after
 * {@link #isAvailable(ClassLoader)} said yes, so the library runs in a webapp without Micrometer.
 */
public final class MicrometerSupport {

    /**
     * The servlet context attribute under which a webapp may put the {@code MeterRegistry} to use
     * (before the filter starts, e.g. from a {@code ServletContextListener}); without it the filter
     * registers its meters in {@code Metrics.globalRegistry}.
     */
    public static final String REGISTRY_ATTRIBUTE = "io.micrometer.core.instrument.MeterRegistry";

    private MicrometerSupport() {}

    /** Whether {@code io.micrometer.core.instrument.Metrics} can be loaded through this loader. */
    public static boolean isAvailable(ClassLoader loader) {
        try {
            Class.forName("io.micrometer.core.instrument.Metrics", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Shows the metrics as Micrometer meters. Only after {@link #isAvailable} said yes.
     *
     * @param registry a {@code MeterRegistry} to use, or null (or anything else) for {@code Metrics.globalRegistry}
     */
    public static MetricsExporter export(FilterMetrics metrics, Object registry) {
        return MicrometerMeters.bind(metrics, registry);
    }
}
