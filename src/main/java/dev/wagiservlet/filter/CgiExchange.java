package dev.wagiservlet.filter;

import dev.wagiservlet.cache.ModuleCache;
import dev.wagiservlet.cgi.CgiArguments;
import dev.wagiservlet.cgi.CgiEnvironment;
import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.cgi.CgiResponseParser;
import dev.wagiservlet.cgi.CgiStdout;
import dev.wagiservlet.config.RouteConfig;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.OutboundHttpPolicy;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.routing.RouteMatch;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serves one request with the module of its route: builds the CGI environment and argv, streams
 * the request body to the module's stdin and its stdout back as the response, and turns failures
 * into the right status, or into an aborted connection once the response is on its way.
 */
final class CgiExchange {

    private static final System.Logger LOG = System.getLogger(WagiFilter.class.getName());

    /** A header block larger than this is a broken module: 502. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private final ModuleCache modules;

    CgiExchange(ModuleCache modules) {
        this.modules = modules;
    }

    /**
     * @param match the route and the path it matched
     * @param environment variables for every module (the route's own and the CGI variables win)
     */
    void serve(RouteMatch<MountedRoute> match, Map<String, String> environment, HttpServletRequest request,
            HttpServletResponse response) throws IOException, ServletException {
        MountedRoute mounted = match.target();
        RouteConfig route = mounted.config();
        String name = route.route().text();
        if (!allows(route.methods(), request.getMethod())) {
            response.setHeader("Allow", allowHeader(route.methods()));
            ServletResponseSink.sendError(response, 405, "Method Not Allowed");
            return;
        }

        CompiledModule module;
        try {
            module = modules.get(mounted.moduleFile());
        } catch (ModuleLoadException e) {
            LOG.log(Level.ERROR, "[{0}] cannot load the module: {1}", name, e.getMessage());
            ServletResponseSink.sendError(response, 500, "Internal Server Error");
            return;
        }

        CgiRequest cgi = ServletCgiRequests.from(request);
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(route.environment());
        env.putAll(CgiEnvironment.build(cgi, route.route(), match.rawPathInfo()));
        List<String> argv = CgiArguments.build(cgi.requestUri(), cgi.queryString(), route.argv());
        CgiStdout stdout = new CgiStdout(new ServletResponseSink(response, name), MAX_HEADER_BYTES);

        try (ModuleStderr stderr = new ModuleStderr(name)) {
            module.run(new WasiInvocation(route.entrypoint(), argv, env, mounted.volumes(),
                    request.getInputStream(), stdout, stderr, httpPolicy(route.http())));
        } catch (ModuleExecutionException e) {
            fail(response, name, e.kind().name().toLowerCase() + ": " + e.getMessage(), e);
            return;
        } finally {
            Thread.interrupted(); // never hand an interrupted thread back to the container's pool
        }

        if (!stdout.headComplete()) {
            LOG.log(Level.ERROR, "[{0}] the module''s output has no blank line ending the CGI headers", name);
            ServletResponseSink.sendError(response, 500, CgiResponseParser.NO_CONTENT_TYPE);
        }
    }

    private static OutboundHttpPolicy httpPolicy(RouteConfig.OutboundHttp http) {
        OutboundHttpPolicy defaults = OutboundHttpPolicy.DENY_ALL;
        return new OutboundHttpPolicy(http.allowedHosts(), http.maxConcurrency(), defaults.connectTimeout(),
                http.timeout().orElse(defaults.requestTimeout()));
    }

    /** An empty set allows every method; HEAD is allowed wherever GET is. */
    private static boolean allows(Set<String> methods, String method) {
        return methods.isEmpty() || methods.contains(method) || (method.equals("HEAD") && methods.contains("GET"));
    }

    private static String allowHeader(Set<String> methods) {
        Set<String> allowed = new LinkedHashSet<>(methods);
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        return String.join(", ", allowed);
    }

    /**
     * A failed run: 500 if nothing was sent; otherwise the client has part of a body, and must not
     * take it for a whole one, so the exception goes up and the container aborts the connection.
     */
    private static void fail(HttpServletResponse response, String route, String cause, Exception e)
            throws IOException, ServletException {
        if (response.isCommitted()) {
            LOG.log(Level.ERROR, "[{0}] the module failed after the response was committed; aborting the connection: {1}", route, cause);
            throw new ServletException("WAGI module for route " + route + " failed mid-response: " + cause, e);
        }
        LOG.log(Level.ERROR, "[{0}] the module failed: {1}", route, cause);
        ServletResponseSink.sendError(response, 500, "Internal Server Error");
    }
}
