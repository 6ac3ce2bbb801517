package dev.wagiservlet.filter;

import dev.wagiservlet.cache.ModuleCache;
import dev.wagiservlet.cgi.CgiArguments;
import dev.wagiservlet.cgi.CgiEnvironment;
import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.cgi.CgiResponseParser;
import dev.wagiservlet.cgi.CgiStdout;
import dev.wagiservlet.config.Limits;
import dev.wagiservlet.config.RouteConfig;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.metrics.ErrorKind;
import dev.wagiservlet.metrics.RouteMetrics;
import dev.wagiservlet.routing.RouteMatch;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * Serves one request with the module of its route: checks the method and the route's limits,
 * builds the CGI environment and argv, streams the request body to the module's stdin and its
 * stdout back as the response, and turns failures into the right status, or into an aborted
 * connection once the response is on its way. Every request is recorded in its route's
 * {@link RouteMetrics}: its latency and status, and the {@link ErrorKind} of a failure.
 */
final class CgiExchange {

    private static final System.Logger LOG = System.getLogger(WagiFilter.class.getName());

    private final ModuleCache modules;
    private final Admission admission;
    private final RunGuards guards;
    private final MemoryBudget memory;

    CgiExchange(ModuleCache modules, Admission admission, RunGuards guards, MemoryBudget memory) {
        this.modules = modules;
        this.admission = admission;
        this.guards = guards;
        this.memory = memory;
    }

    /**
     * @param match the route and the path it matched
     * @param routing the routes in force (for the global environment and the route's slots)
     */
    void serve(RouteMatch<MountedRoute> match, Routing routing, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        RouteMetrics metrics = routing.metrics(match.target());
        long started = metrics.begin();
        try {
            admitAndRun(match, routing, metrics, request, response);
        } catch (RuntimeException | Error e) { // outside the run (which has its own answers): still an answer, never an error page
            metrics.error(ErrorKind.OTHER);
            fail(response, match.target().route(), 500, "unexpected failure: " + e, e, metrics);
        } finally {
            metrics.end(started, response.getStatus());
        }
    }

    /**
     * Refuses a request whose raw path the container normalised into another (dot segments,
     * {@code ;} parameters): the route matched one, the container's security constraints saw the
     * other, so the module must not run. 400, counted on the route that either path matched.
     */
    void refusePath(RouteMatch<MountedRoute> match, Routing routing, String raw, String normalised, HttpServletResponse response)
            throws IOException {
        RouteMetrics metrics = routing.metrics(match.target());
        long started = metrics.begin();
        try {
            metrics.error(ErrorKind.BAD_PATH);
            LOG.log(Level.WARNING, "[{0}] 400: the request path ''{1}'' is ''{2}'' to the container; refused", match.target().route(),
                    raw, normalised == null ? "(ambiguous)" : normalised);
            ServletResponseSink.sendError(response, 400, "Bad Request: the path has dot segments or ; parameters");
        } finally {
            metrics.end(started, response.getStatus());
        }
    }

    private void admitAndRun(RouteMatch<MountedRoute> match, Routing routing, RouteMetrics metrics, HttpServletRequest request,
            HttpServletResponse response) throws IOException, ServletException {
        MountedRoute mounted = match.target();
        RouteConfig route = mounted.config();
        Limits limits = mounted.limits();
        String name = route.route().text();
        if (!allows(route.methods(), request.getMethod())) {
            metrics.error(ErrorKind.METHOD);
            ServletResponseSink.sendError(response, 405, "Method Not Allowed", "Allow", allowHeader(route.methods()));
            return;
        }
        if (request.getContentLengthLong() > limits.maxBodySize()) {
            LOG.log(Level.WARNING, "[{0}] request body of {1} bytes is over the limit of {2}", name,
                    Long.toString(request.getContentLengthLong()), Long.toString(limits.maxBodySize()));
            metrics.error(ErrorKind.TOO_LARGE);
            ServletResponseSink.sendError(response, 413, "Payload Too Large");
            return;
        }
        RequestBody body;
        try {
            body = RequestBody.read(request.getInputStream(), request.getContentLengthLong(), request.getHeader("Transfer-Encoding") != null);
        } catch (IOException e) {
            clientFailed(request, response, name, e, metrics);
            return;
        }
        Admission.Ticket ticket;
        try {
            ticket = admission.enter(routing.slots(mounted));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the container's: it is stopping this thread; a 503 is still an answer
            ticket = null;
        }
        if (ticket == null) {
            LOG.log(Level.WARNING, "[{0}] no free slot to run the module; answering 503", name);
            metrics.error(ErrorKind.BUSY);
            ServletResponseSink.sendError(response, 503, "Service Unavailable", "Retry-After",
                    Long.toString(admission.retryAfterSeconds()));
            return;
        }
        try {
            run(match, routing, metrics, body, ticket, request, response);
        } finally {
            ticket.release();
        }
    }

    private void run(RouteMatch<MountedRoute> match, Routing routing, RouteMetrics metrics, RequestBody body, Admission.Ticket ticket,
            HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        MountedRoute mounted = match.target();
        RouteConfig route = mounted.config();
        Limits limits = mounted.limits();
        String name = route.route().text();
        CompiledModule module;
        try {
            module = modules.get(mounted.moduleFile());
        } catch (ModuleLoadException e) {
            LOG.log(Level.ERROR, "[{0}] cannot load the module: {1}", name, e.getMessage());
            metrics.error(ErrorKind.LOAD);
            ServletResponseSink.sendError(response, 500, "Internal Server Error");
            return;
        }

        CgiRequest cgi = ServletCgiRequests.from(request);
        Map<String, String> env = new LinkedHashMap<>(routing.environment());
        env.putAll(route.environment());
        env.putAll(CgiEnvironment.build(cgi, route.route(), match.rawPathInfo()));
        List<String> argv = CgiArguments.build(cgi.requestUri(), cgi.queryString(), route.argv());

        RunGuard guard = guards.start(limits.timeout(), ticket::release);
        ServletResponseSink sink = new ServletResponseSink(response, name, limits.maxOutputSize(), "HEAD".equals(request.getMethod()));
        guard.holdOutput(sink);
        CgiStdout stdout = new CgiStdout(sink, limits.maxHeaderSize());
        Throwable failure = null;
        MemoryBudget.Account account = memory.open();
        try (ModuleStderr stderr = new ModuleStderr(name, limits)) {
            module.run(new WasiInvocation(route.entrypoint(), argv, env, mounted.volumes(),
                    new LimitedInput(body.stdin(guard::input), limits.maxBodySize()), guard.output(stdout),
                    guard.output(stderr), mounted.http(), limits.maxMemory(), account));
        } catch (ModuleExecutionException | RuntimeException | Error e) {
            failure = e; // an Error too (OutOfMemoryError): the run is over, and this request still gets its answer
        } finally {
            account.close(); // the instance is garbage now
            sink.close(); // from here on only this thread touches the response
            guards.finish(guard); // no interrupt may be left on this thread when it writes the response
        }
        if (body.failure() != null) {
            clientFailed(request, response, name, body.failure(), metrics);
            return;
        }
        if (failure != null) {
            failed(response, name, guard, account, failure, metrics);
            return;
        }

        if (sink.rejectedHead()) {
            metrics.error(ErrorKind.BAD_CGI); // the sink has answered with the error already
        } else if (!stdout.headComplete()) {
            metrics.error(ErrorKind.BAD_CGI);
            LOG.log(Level.ERROR, "[{0}] the module''s output has no blank line ending the CGI headers", name);
            ServletResponseSink.sendError(response, 500, CgiResponseParser.NO_CONTENT_TYPE);
        } else {
            checkDeclaredLength(response, name, sink, metrics);
        }
    }

    /**
     * A module that declared a Content-Length and wrote less must not leave the response looking
     * whole: the client would read its next response on the connection as the rest of this body.
     * 502 if nothing was sent yet; otherwise the connection is aborted.
     */
    private static void checkDeclaredLength(HttpServletResponse response, String route, ServletResponseSink sink,
            RouteMetrics metrics) throws IOException, ServletException {
        long missing = sink.shortfall();
        if (missing > 0) {
            metrics.error(ErrorKind.BAD_CGI);
            fail(response, route, 502, "the module wrote " + missing + " bytes less than its Content-Length declares", null, metrics);
        }
    }

    /**
     * Reading the request body failed: the client went away, or stopped sending until the
     * container's read timeout. The client's failure, not the module's: 408 for a timeout, else
     * 400, if the response can still be written (Tomcat answers it itself); never an exception,
     * which would put the container's error page in its place. Tomcat also hands the read's
     * exception to its error page, which would show its stack trace: that is taken back.
     */
    private static void clientFailed(HttpServletRequest request, HttpServletResponse response, String route, IOException e,
            RouteMetrics metrics) {
        request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
        int status = RequestBody.status(e);
        metrics.error(ErrorKind.CLIENT);
        LOG.log(Level.WARNING, "[{0}] {1}: the request body did not arrive: {2}", route, Integer.toString(status), e.toString());
        if (!response.isCommitted()) {
            try {
                ServletResponseSink.sendError(response, status, status == 408 ? "Request Timeout" : "Bad Request", "Connection", "close");
            } catch (IOException | IllegalStateException ignored) {
                // the connection is gone: nothing more to tell the client
            }
        }
    }

    /** Why a run failed, as a status: the memory budget, a limit, a stop, or the module's own failure. */
    private static void failed(HttpServletResponse response, String route, RunGuard guard, MemoryBudget.Account account,
            Throwable e, RouteMetrics metrics) throws IOException, ServletException {
        LimitExceeded limit = cause(e, LimitExceeded.class);
        if (limit != null) {
            metrics.error(ErrorKind.LIMIT);
            fail(response, route, limit.status(), limit.getMessage(), e, metrics);
        } else if (guard.stopped() == RunGuard.Reason.TIMEOUT) {
            metrics.error(ErrorKind.TIMEOUT);
            fail(response, route, 504, "the module ran longer than its timeout", e, metrics);
        } else if (guard.stopped() == RunGuard.Reason.SHUTDOWN) {
            metrics.error(ErrorKind.SHUTDOWN);
            fail(response, route, 503, "the module was stopped because the webapp is stopping", e, metrics);
        } else if (account.refused()) {
            metrics.error(ErrorKind.MEMORY);
            fail(response, route, 503, "the memory budget (max_total_memory) had no room for the module's memory: " + e, e, metrics);
        } else if (e instanceof ModuleExecutionException failure) {
            metrics.error(kind(failure.kind()));
            fail(response, route, 500, failure.kind().name().toLowerCase() + ": " + failure.getMessage(), e, metrics);
        } else {
            metrics.error(ErrorKind.OTHER);
            fail(response, route, 500, "unexpected failure: " + e, e, metrics);
        }
    }

    private static ErrorKind kind(ModuleExecutionException.Kind kind) {
        return switch (kind) {
            case TRAP -> ErrorKind.TRAP;
            case EXIT -> ErrorKind.EXIT;
            case LINK -> ErrorKind.LINK;
            case MISSING_ENTRYPOINT -> ErrorKind.ENTRYPOINT;
            case MEMORY -> ErrorKind.MEMORY;
            case INTERRUPTED -> ErrorKind.OTHER;
        };
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * A failed run: the status if nothing was sent; otherwise the client has part of a body, and
     * must not take it for a whole one, so the exception goes up and the container aborts the
     * connection.
     */
    private static void fail(HttpServletResponse response, String route, int status, String cause, Throwable e,
            RouteMetrics metrics) throws IOException, ServletException {
        if (response.isCommitted()) {
            metrics.aborted();
            LOG.log(Level.ERROR, "[{0}] the module failed after the response was committed; aborting the connection: {1}", route, cause);
            throw new ServletException("WAGI module for route " + route + " failed mid-response: " + cause, e);
        }
        LOG.log(Level.ERROR, "[{0}] {1}: {2}", route, Integer.toString(status), cause);
        if (status == 503) {
            ServletResponseSink.sendError(response, status, "Service Unavailable", "Retry-After", "1");
            return;
        }
        ServletResponseSink.sendError(response, status, switch (status) {
            case 413 -> "Payload Too Large";
            case 502 -> "Bad Gateway";
            case 504 -> "Gateway Timeout";
            default -> "Internal Server Error";
        });
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

    /** The request body, cut off with 413 past the route's limit (for bodies without a declared length). */
    private static final class LimitedInput extends java.io.FilterInputStream {
        private final long limit;
        private long count;

        LimitedInput(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (count += n) > limit) {
                throw new LimitExceeded(413, "the request body is over the limit of " + limit + " bytes");
            }
            return n;
        }
    }
}
