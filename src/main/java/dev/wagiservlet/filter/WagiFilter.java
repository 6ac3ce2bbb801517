package dev.wagiservlet.filter;

import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.WagiSettings;
import dev.wagiservlet.core.Gateway;
import dev.wagiservlet.core.ResponseAborted;
import dev.wagiservlet.metrics.FilterMetrics;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * WAGI as a servlet filter: requests whose path matches a configured route are served by that
 * route's WebAssembly module, as CGI; every other request goes on down the filter chain, so the
 * webapp's own servlets and static files keep working.
 *
 * <p>A thin adapter: the filter reads its settings ({@link FilterSettings}: init-params overlaid
 * by MicroProfile Config, routes also from a wagi {@code modules.toml}), starts a {@link Gateway},
 * which owns every request from its match to its answer, and hands it each request through a
 * {@link ServletHttpPort}. A bad configuration fails the deployment with a message naming the key
 * and the file. Metrics are shown as MXBeans, Micrometer meters and on the status page
 * ({@code status-route}); see docs/status-and-metrics.md.
 */
public class WagiFilter implements Filter {

    /** Context attribute prefix under which each filter publishes its {@link Gateway} (its routes, for the landing page). */
    public static final String GATEWAY_ATTRIBUTE = WagiFilter.class.getName() + ".gateway.";

    private static final System.Logger LOG = System.getLogger(WagiFilter.class.getName());

    private final WagiSettings given;
    private Gateway gateway;
    private FilterMetrics metrics;
    private StatusRoute status;
    private ServletContext context;
    private String name;

    /** A filter that reads its settings when it starts: its init-params overlaid by MicroProfile Config (web.xml). */
    public WagiFilter() {
        this.given = null;
    }

    /**
     * A filter with its settings read already, e.g. by the Spring Boot starter from Spring's
     * {@code Environment}: its init-params and MicroProfile Config are not read.
     */
    public WagiFilter(WagiSettings settings) {
        this.given = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        long start = System.nanoTime();
        name = filterConfig.getFilterName();
        context = filterConfig.getServletContext();
        try {
            WagiSettings settings = given != null ? given : FilterSettings.read(filterConfig, "web.xml filter '" + name + "'");
            metrics = new FilterMetrics(name, context.getContextPath().isEmpty() ? "/" : context.getContextPath());
            gateway = Gateway.start(name, settings, new ServletWebapp(context), metrics);
            MetricsExport.export(metrics, context);
            status = settings.statusRoute().map(route -> new StatusRoute(route, settings.statusRole(), metrics)).orElse(null);
        } catch (ConfigException e) {
            if (gateway != null) {
                gateway.close();
            }
            release();
            LOG.log(Level.ERROR, "WAGI filter ''{0}'' cannot start: {1}", name, e.getMessage());
            throw new ServletException(e.getMessage(), e);
        }
        context.setAttribute(GATEWAY_ATTRIBUTE + name, gateway);
        long startup = System.nanoTime() - start;
        metrics.started(startup);
        LOG.log(Level.INFO, "WAGI filter ''{0}'' serves {1} route(s); started in {2} ms", name,
                Integer.toString(gateway.routes().size()), Long.toString(TimeUnit.NANOSECONDS.toMillis(startup)));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse httpResponse) {
            String uri = http.getRequestURI();
            String path = uri.startsWith(http.getContextPath()) ? uri.substring(http.getContextPath().length()) : uri;
            if (status != null && status.matches(path)) {
                status.serve(http, httpResponse);
                return;
            }
            try {
                if (gateway.serve(new ServletHttpPort(http, httpResponse), path, http.getServerName(), http.getServerPort())) {
                    return;
                }
            } catch (ResponseAborted e) {
                throw new ServletException(e.getMessage(), e); // the container aborts the connection
            }
        }
        chain.doFilter(request, response);
    }

    /** Stops the runs under way (they answer 503) and lets their requests finish, then releases everything. */
    @Override
    public void destroy() {
        if (context != null) {
            context.removeAttribute(GATEWAY_ATTRIBUTE + name);
        }
        if (gateway != null) {
            gateway.stop();
        }
        release();
    }

    private void release() {
        if (metrics != null) {
            metrics.close(); // unregisters the MBeans and meters, which would keep the webapp's class loader
        }
        RecordMethodCaches.release(); // on JDK 17 the JDK itself would keep one of our records, and so the webapp
    }
}
