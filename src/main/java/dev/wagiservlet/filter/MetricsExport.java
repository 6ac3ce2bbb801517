package dev.wagiservlet.filter;

import dev.wagiservlet.metrics.FilterMetrics;
import dev.wagiservlet.metrics.JmxExporter;
import dev.wagiservlet.metrics.MicrometerSupport;
import jakarta.servlet.ServletContext;
import java.lang.System.Logger.Level;
import javax.management.JMException;

/** Shows a filter's metrics as MXBeans and, if Micrometer is there, as meters; neither is needed to serve. */
final class MetricsExport {

    private static final System.Logger LOG = System.getLogger(MetricsExport.class.getName());

    private MetricsExport() {}

    /** @param context where a webapp may put its Micrometer registry ({@link MicrometerSupport#REGISTRY_ATTRIBUTE}) */
    static void export(FilterMetrics metrics, ServletContext context) {
        try {
            metrics.export(JmxExporter.register(metrics));
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "WAGI filter ''{0}'': cannot register its MBeans: {1}", metrics.filterName(), e.toString());
        }
        if (MicrometerSupport.isAvailable(MetricsExport.class.getClassLoader())) {
            try {
                metrics.export(MicrometerSupport.export(metrics, context.getAttribute(MicrometerSupport.REGISTRY_ATTRIBUTE)));
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "WAGI filter ''{0}'': cannot register its Micrometer meters: {1}", metrics.filterName(), e.toString());
            }
        }
    }
}
