package dev.wagiservlet.filter;

import dev.wagiservlet.cache.ModuleCache;
import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.EngineMode;
import dev.wagiservlet.config.FilterSettings;
import dev.wagiservlet.config.InitParameters;
import dev.wagiservlet.config.Location;
import dev.wagiservlet.config.MicroProfileSettings;
import dev.wagiservlet.config.ModulesToml;
import dev.wagiservlet.config.RouteConfig;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.chicory.ChicoryEngine;
import dev.wagiservlet.routing.RouteMatch;
import dev.wagiservlet.routing.RouteTable;
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
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * WAGI as a servlet filter: requests whose path matches a configured route are served by that
 * route's WebAssembly module, as CGI; every other request goes on down the filter chain, so the
 * webapp's own servlets and static files keep working.
 *
 * <p>Routes come from the filter's init-params (see {@link InitParameters}) and from a wagi
 * {@code modules.toml} named by the init-param {@code modules-toml} or the MicroProfile Config key
 * {@code wagi.modules-toml} (which wins, so the environment can point an unchanged WAR at its
 * modules). Every module is compiled when the filter starts; a bad configuration fails the
 * deployment with a message naming the key and the file.
 */
public class WagiFilter implements Filter {

    /** Context attribute prefix under which each filter publishes its routes (a {@code List<MountedRoute>}). */
    public static final String ROUTES_ATTRIBUTE = WagiFilter.class.getName() + ".routes.";

    private static final System.Logger LOG = System.getLogger(WagiFilter.class.getName());
    private static final long MAXIMUM_CACHED_MODULES = 1_000;

    private RouteTable<MountedRoute> routes;
    private ModuleCache modules;
    private CgiExchange exchange;
    private String routesAttribute;
    private ServletContext context;

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        long start = System.nanoTime();
        String origin = "web.xml filter '" + filterConfig.getFilterName() + "'";
        try {
            FilterSettings settings = settings(filterConfig, origin);
            WebappFiles files = new WebappFiles(filterConfig.getServletContext());
            List<RouteConfig> configured = new ArrayList<>(settings.routes());
            settings.modulesToml().ifPresent(reference ->
                    configured.addAll(modulesToml(reference, settings.modulesTomlOrigin(), files)));
            routes = mount(configured, files);
            modules = new ModuleCache(new ChicoryEngine(settings.engine() == EngineMode.COMPILER), MAXIMUM_CACHED_MODULES);
            compileAll();
        } catch (ConfigException e) {
            close();
            LOG.log(Level.ERROR, "WAGI filter ''{0}'' cannot start: {1}", filterConfig.getFilterName(), e.getMessage());
            throw new ServletException(e.getMessage(), e);
        }
        exchange = new CgiExchange(modules);
        routesAttribute = ROUTES_ATTRIBUTE + filterConfig.getFilterName();
        context = filterConfig.getServletContext();
        context.setAttribute(routesAttribute,
                routes.entries().stream().map(RouteTable.Entry::target).toList());
        LOG.log(Level.INFO, "WAGI filter ''{0}'' serves {1} route(s); started in {2} ms",
                filterConfig.getFilterName(), Integer.toString(routes.entries().size()), Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }

    private static FilterSettings settings(FilterConfig filterConfig, String origin) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            params.put(name, filterConfig.getInitParameter(name));
        }
        FilterSettings settings = InitParameters.read(params, origin);
        ClassLoader loader = filterConfig.getServletContext().getClassLoader();
        if (MicroProfileSettings.isAvailable(loader)) {
            try (MicroProfileSettings config = MicroProfileSettings.load(loader)) {
                Optional<String> toml = config.modulesToml();
                if (toml.isPresent()) {
                    return settings.withModulesToml(toml.get(), "MicroProfile Config key '" + MicroProfileSettings.MODULES_TOML + "'");
                }
            }
        }
        return settings;
    }

    private static List<RouteConfig> modulesToml(String reference, String origin, WebappFiles files) {
        Location location;
        try {
            location = Location.parse(reference, Location.WEBAPP_ROOT);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(origin + ": " + e.getMessage());
        }
        Path file = files.file(location, origin);
        try (InputStream in = Files.newInputStream(file)) {
            return ModulesToml.read(location, in);
        } catch (IOException e) {
            throw new ConfigException(origin + ": cannot read " + file + ": " + e, e);
        }
    }

    private static RouteTable<MountedRoute> mount(List<RouteConfig> configured, WebappFiles files) {
        List<RouteTable.Entry<MountedRoute>> entries = new ArrayList<>();
        for (RouteConfig route : configured) {
            Map<String, Path> volumes = new LinkedHashMap<>();
            route.volumes().forEach((guest, host) -> volumes.put(guest, files.directory(host, route.origin() + ", volume '" + guest + "'")));
            Path module = files.file(route.module(), route.origin() + ", module");
            entries.add(new RouteTable.Entry<>(route.route(), new MountedRoute(route, module, volumes)));
        }
        try {
            return RouteTable.of(entries);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private void compileAll() {
        for (RouteTable.Entry<MountedRoute> entry : routes.entries()) {
            MountedRoute route = entry.target();
            long start = System.nanoTime();
            try {
                boolean hasEntrypoint = modules.get(route.moduleFile()).hasEntrypoint(route.config().entrypoint());
                LOG.log(Level.INFO, "Route {0} -> {1} ({2} bytes), ready in {3} ms", route.route(), route.moduleFile(),
                        Long.toString(Files.size(route.moduleFile())), Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
                if (!hasEntrypoint) {
                    LOG.log(Level.WARNING, "Route {0}: {1} exports no function ''{2}''; requests to it will fail with 500",
                            route.route(), route.moduleFile(), route.config().entrypoint());
                }
            } catch (ModuleLoadException | IOException e) {
                throw new ConfigException(route.config().origin() + ", module: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse httpResponse) {
            String uri = http.getRequestURI();
            String context = http.getContextPath();
            String path = uri.startsWith(context) ? uri.substring(context.length()) : uri;
            Optional<RouteMatch<MountedRoute>> match = routes.match(path);
            if (match.isPresent()) {
                exchange.serve(match.get(), http, httpResponse);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    @Override
    public void destroy() {
        if (context != null) {
            context.removeAttribute(routesAttribute);
        }
        close();
    }

    private void close() {
        if (modules != null) {
            modules.close();
            modules = null;
        }
    }
}
