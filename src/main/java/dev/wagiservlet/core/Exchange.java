package dev.wagiservlet.core;

import dev.wagiservlet.cgi.CgiArguments;
import dev.wagiservlet.cgi.CgiEnvironment;
import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.cgi.CgiStdout;
import dev.wagiservlet.config.Limits;
import dev.wagiservlet.config.RouteConfig;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.metrics.RouteMetrics;
import dev.wagiservlet.routing.RouteMatch;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * One request to one route, from its match to its answer: checks the method and the declared body
 * size, reads the start of the body, takes the route's slots, runs the module with the CGI
 * environment, argv and streams, and answers whatever went wrong as the {@link Failure} table
 * says, or aborts once the response is on its way. Counted in the route's metrics.
 */
final class Exchange {

    private static final System.Logger LOG = System.getLogger(Exchange.class.getName());

    /** What every exchange of a gateway shares. */
    record Services(EngineSet modules, Admission admission, RunSupervisor supervisor, OutputRelay relay, MemoryBudget memory,
            ModuleThreads threads) {}

    /** How a run on a module thread ended: its guard (was it stopped?) and what it threw, if anything. */
    private record Ran(RunGuard guard, Throwable failure) {}

    private final Services services;
    private final RouteSet routes;
    private final RouteMatch<Route> match;
    private final Route route;
    private final RouteMetrics metrics;
    private final String name;
    private final HttpPort port;

    Exchange(Services services, RouteSet routes, RouteMatch<Route> match, HttpPort port) {
        this.services = services;
        this.routes = routes;
        this.match = match;
        this.route = match.target();
        this.metrics = route.metrics();
        this.name = route.route();
        this.port = port;
    }

    /** Serves the request; the answer is written to the port, or the exception says to abort the connection. */
    void serve() throws IOException, ResponseAborted {
        long started = metrics.begin();
        try {
            admitAndRun();
        } catch (RuntimeException | Error e) { // outside the run (which has its own answers): still an answer, never an error page
            fail(Failure.OTHER, "unexpected failure: " + e, e);
        } finally {
            metrics.end(started, port.status());
        }
    }

    /**
     * Refuses a request whose raw path the container normalised into another (dot segments,
     * {@code ;} parameters): the route matched one, the container's security constraints saw the
     * other, so the module must not run.
     */
    void refusePath(String raw, String normalised) throws IOException {
        long started = metrics.begin();
        try {
            LOG.log(Level.WARNING, "[{0}] 400: the request path ''{1}'' is ''{2}'' to the container; refused", name, raw,
                    normalised == null ? "(ambiguous)" : normalised);
            refuse(Failure.BAD_PATH);
        } finally {
            metrics.end(started, port.status());
        }
    }

    private void admitAndRun() throws IOException, ResponseAborted {
        RouteConfig config = route.config();
        Limits limits = route.limits();
        CgiRequest request = port.request();
        if (!allows(config.methods(), request.method())) {
            refuse(Failure.METHOD, "Allow", allowHeader(config.methods()));
            return;
        }
        long declared = request.contentLength().orElse(-1);
        if (declared > limits.maxBodySize()) {
            LOG.log(Level.WARNING, "[{0}] request body of {1} bytes is over the limit of {2}", name, Long.toString(declared),
                    Long.toString(limits.maxBodySize()));
            refuse(Failure.TOO_LARGE);
            return;
        }
        RequestBody body;
        try {
            body = RequestBody.read(port.requestBody(), declared, request.contentLength().isEmpty());
        } catch (IOException e) {
            clientFailed(e);
            return;
        }
        Admission.Ticket ticket;
        try {
            ticket = services.admission().enter(route.slots());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the container's: it is stopping this thread; a 503 is still an answer
            ticket = null;
        }
        if (ticket == null) {
            LOG.log(Level.WARNING, "[{0}] no free slot to run the module; answering 503", name);
            refuse(Failure.BUSY, "Retry-After", Long.toString(services.admission().retryAfterSeconds()));
            return;
        }
        try {
            run(body, ticket);
        } finally {
            ticket.release();
        }
    }

    private void run(RequestBody body, Admission.Ticket ticket) throws IOException, ResponseAborted {
        RouteConfig config = route.config();
        Limits limits = route.limits();
        CompiledModule module;
        try {
            module = services.modules().get(route.mounted().engine(), route.moduleFile());
        } catch (ModuleLoadException e) {
            LOG.log(Level.ERROR, "[{0}] cannot load the module: {1}", name, e.getMessage());
            refuse(Failure.LOAD);
            return;
        }

        CgiRequest request = port.request();
        Map<String, String> env = new LinkedHashMap<>(routes.environment());
        env.putAll(config.environment());
        env.putAll(CgiEnvironment.build(request, config.route(), match.rawPathInfo()));
        List<String> argv = CgiArguments.build(request.requestUri(), request.queryString(), config.argv());

        ResponseSink sink = new ResponseSink(port, name, limits.maxOutputSize(), "HEAD".equals(request.method()));
        CgiStdout stdout = new CgiStdout(sink, limits.maxHeaderSize());
        MemoryBudget.Account account = services.memory().open();
        Ran ran;
        try {
            ran = services.threads().call(module.stackBound(config.entrypoint()), () -> {
                RunGuard guard = services.supervisor().start(limits.timeout(), ticket::release);
                services.relay().hold(sink);
                Throwable failure = null;
                try (ModuleStderr stderr = new ModuleStderr(name, limits)) {
                    module.run(new WasiInvocation(config.entrypoint(), argv, env, route.mounted().volumes(),
                            new LimitedInput(body.stdin(guard::input), limits.maxBodySize()), guard.output(stdout),
                            guard.output(stderr), route.mounted().http(), limits.maxMemory(), account, limits.timeout()));
                } catch (ModuleExecutionException | RuntimeException | Error e) {
                    failure = e; // an Error too (a stack overflow, OutOfMemoryError): the run is over, and the request gets its answer
                } finally {
                    account.close(); // the instance is garbage now
                    services.relay().done(sink);
                    sink.close(); // from here on only the request's own thread touches the response
                    services.supervisor().finish(guard); // no interrupt may be left on the module thread
                }
                return new Ran(guard, failure);
            });
        } catch (RejectedExecutionException e) { // the gateway is closing: its module threads take no more runs
            account.close();
            fail(Failure.SHUTDOWN, "the module was not run because the webapp is stopping", e);
            return;
        }
        Throwable failure = ran.failure();
        RunGuard guard = ran.guard();
        if (body.failure() != null) {
            clientFailed(body.failure());
        } else if (failure != null) {
            Failure cause = cause(failure, guard, account);
            fail(cause, describe(cause, failure), failure);
        } else if (sink.rejectedHead()) {
            metrics.error(Failure.BAD_CGI_HEAD.kind()); // the sink has answered with the parser's status and message
        } else if (!stdout.headComplete()) {
            LOG.log(Level.ERROR, "[{0}] the module''s output has no blank line ending the CGI headers", name);
            refuse(Failure.NO_CGI_HEAD);
        } else if (sink.shortfall() > 0) {
            fail(Failure.SHORT_BODY, "the module wrote " + sink.shortfall() + " bytes less than its Content-Length declares", null);
        }
    }

    /** Which row of the table a failed run is: a limit, a stop, the memory budget, or the module's own failure. */
    private static Failure cause(Throwable e, RunGuard guard, MemoryBudget.Account account) {
        LimitExceeded limit = causeOfType(e, LimitExceeded.class);
        if (limit != null) {
            return limit.failure();
        } else if (guard.stopped() == RunGuard.Reason.TIMEOUT) {
            return Failure.TIMEOUT;
        } else if (guard.stopped() == RunGuard.Reason.SHUTDOWN) {
            return Failure.SHUTDOWN;
        } else if (account.refused()) {
            return Failure.MEMORY;
        } else if (e instanceof ModuleExecutionException failure) {
            return switch (failure.kind()) {
                case TRAP -> Failure.TRAP;
                case EXIT -> Failure.EXIT;
                case LINK -> Failure.LINK;
                case MISSING_ENTRYPOINT -> Failure.ENTRYPOINT;
                case MEMORY -> Failure.MEMORY;
                case INTERRUPTED -> Failure.OTHER;
            };
        }
        return Failure.OTHER;
    }

    private static String describe(Failure cause, Throwable e) {
        LimitExceeded limit = causeOfType(e, LimitExceeded.class);
        if (limit != null) {
            return limit.getMessage();
        }
        return switch (cause) {
            case TIMEOUT -> "the module ran longer than its timeout";
            case SHUTDOWN -> "the module was stopped because the webapp is stopping";
            case MEMORY -> "the memory budget (max_total_memory) had no room for the module's memory: " + e.getMessage();
            default -> e instanceof ModuleExecutionException failure
                    ? failure.kind().name().toLowerCase(Locale.ROOT) + ": " + failure.getMessage()
                    : "unexpected failure: " + e;
        };
    }

    private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Reading the request body failed: the client went away, or stopped sending until the
     * container's read timeout. The client's failure, not the module's: 408 for a timeout, else
     * 400, if the response can still be written (Tomcat answers it itself); never an abort or an
     * exception, which would put the container's error page in its place.
     */
    private void clientFailed(IOException e) {
        port.requestBodyFailed();
        Failure failure = RequestBody.status(e) == 408 ? Failure.BODY_TIMEOUT : Failure.BODY_BROKEN;
        metrics.error(failure.kind());
        LOG.log(Level.WARNING, "[{0}] {1}: the request body did not arrive: {2}", name, Integer.toString(failure.status()), e.toString());
        if (!port.committed()) {
            try {
                port.answer(failure.status(), failure.reason(), "Connection", "close");
            } catch (IOException | IllegalStateException ignored) {
                // the connection is gone: nothing more to tell the client
            }
        }
    }

    /** Counts a refusal and answers it, before or instead of a run that wrote nothing. */
    private void refuse(Failure failure, String... headers) throws IOException {
        metrics.error(failure.kind());
        answer(failure, headers);
    }

    /**
     * A failed run: counted, logged with the route, and answered with its status if nothing was
     * sent; otherwise the client has part of a body, and must not take it for a whole one: the
     * connection is aborted.
     */
    private void fail(Failure failure, String detail, Throwable cause) throws IOException, ResponseAborted {
        metrics.error(failure.kind());
        if (port.committed()) {
            metrics.aborted();
            LOG.log(Level.ERROR, "[{0}] the module failed after the response was committed; aborting the connection: {1}", name, detail);
            throw new ResponseAborted("WAGI module for route " + name + " failed mid-response: " + detail, cause);
        }
        LOG.log(Level.ERROR, "[{0}] {1}: {2}", name, Integer.toString(failure.status()), detail);
        answer(failure);
    }

    private void answer(Failure failure, String... headers) throws IOException {
        if (failure.retryable() && headers.length == 0) {
            port.answer(failure.status(), failure.reason(), "Retry-After", "1");
        } else {
            port.answer(failure.status(), failure.reason(), headers);
        }
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
    private static final class LimitedInput extends FilterInputStream {
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
                throw new LimitExceeded(Failure.BODY_LIMIT, "the request body is over the limit of " + limit + " bytes");
            }
            return n;
        }
    }
}
