package dev.wagiservlet.spring;

import dev.wagiservlet.core.Gateway;
import dev.wagiservlet.core.Route;
import dev.wagiservlet.filter.WagiFilter;
import jakarta.servlet.ServletContext;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.ServletContextInitializer;

/**
 * The WAGI filter's health: UP with the routes it serves once it has started (every module
 * compiled, or compiling in the background), DOWN before it started or after it stopped. Reads the
 * gateway the filter publishes in the servlet context ({@link WagiFilter#GATEWAY_ATTRIBUTE}), which the
 * embedded server hands it as a {@code ServletContextInitializer}.
 */
public class WagiHealthIndicator implements HealthIndicator, ServletContextInitializer {

    private final String filterName;
    private volatile ServletContext context;

    public WagiHealthIndicator(String filterName) {
        this.filterName = filterName;
    }

    /** Called by the embedded server as it starts: the context the filter publishes its gateway in. */
    @Override
    public void onStartup(ServletContext servletContext) {
        this.context = servletContext;
    }

    @Override
    public Health health() {
        ServletContext servletContext = context;
        Object gateway = servletContext == null ? null : servletContext.getAttribute(WagiFilter.GATEWAY_ATTRIBUTE + filterName);
        if (!(gateway instanceof Gateway started)) {
            return Health.down().withDetail("filter", filterName).withDetail("reason", "the WAGI filter is not serving").build();
        }
        List<String> routes = started.routes().stream().map(Route::route).sorted().toList();
        return Health.up().withDetail("filter", filterName).withDetail("routes", routes).build();
    }
}
