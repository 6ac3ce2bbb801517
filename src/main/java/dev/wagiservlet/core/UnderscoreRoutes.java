package dev.wagiservlet.core;

import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.Limits;
import dev.wagiservlet.config.RouteConfig;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.MemoryAccount;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import dev.wagiservlet.routing.SubRoutes;
import dev.wagiservlet.threads.OwnedThreads;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a module's {@code _routes} export, at deployment and on every reload, bounded as a request
 * is: by the route's {@code timeout} (the calling thread is interrupted, which stops Chicory), by
 * {@link #MAX_OUTPUT} bytes of stdout, by the route's stderr caps (its stderr is logged as a
 * request's is) and by the route's {@code max_memory}. Whatever goes wrong, {@link OutOfMemoryError}
 * included, becomes a {@link ConfigException} naming the route's origin, the module and what
 * happened, so a bad {@code _routes} fails the deployment (or the reload) instead of hanging it
 * or killing the thread that runs it.
 *
 * <p>One daemon thread ({@code wagi-routes-timeout}, started on the first run) interrupts runs
 * that take too long; {@link #close()} stops it.
 */
final class UnderscoreRoutes implements AutoCloseable {

    /** The most stdout {@code _routes} may write: far more than any list of routes. */
    static final int MAX_OUTPUT = 1 << 20;

    private final OwnedThreads timerThread = OwnedThreads.named("wagi-routes-timeout");
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, timerThread);

    private final ModuleThreads threads;

    UnderscoreRoutes(ModuleThreads threads) {
        this.threads = threads;
        timer.setRemoveOnCancelPolicy(true); // a run that ended leaves no alarm (nor its thread) in the queue
    }

    /**
     * Runs {@code _routes} on a module thread, as a request's run is, and waits for it; as the
     * reference does: stdout only, no env, args or stdin.
     *
     * @return the routes the module declares, joined onto the route it is mounted at
     * @throws ConfigException if the run fails, takes longer than the route's timeout, writes more
     *     than {@link #MAX_OUTPUT} bytes, or its output is not a list of routes
     */
    List<SubRoutes.SubRoute> declared(RouteConfig route, Limits limits, CompiledModule module) {
        String failed = route.origin() + ": " + module.name() + ": _routes ";
        CappedOutput stdout = new CappedOutput();
        Alarm alarm = new Alarm();
        Throwable failure = threads.call(module.stackBound("_routes"), () -> {
            try (ModuleStderr stderr = new ModuleStderr(route.route().text() + " _routes", limits)) {
                alarm.set(Thread.currentThread(), timer.schedule(alarm::ring, limits.timeout().toNanos(), TimeUnit.NANOSECONDS));
                try {
                    module.run(new WasiInvocation("_routes", List.of(), Map.of(), Map.of(), InputStream.nullInputStream(), stdout,
                            stderr, OutboundHttpPolicy.DENY_ALL, limits.maxMemory(), MemoryAccount.UNLIMITED, limits.timeout()));
                } finally {
                    alarm.stop();
                }
                return null;
            } catch (Throwable e) { // OutOfMemoryError, a stack overflow too: the thread that deploys or reloads must live on
                return e;
            }
        });
        if (failure != null && alarm.rang()) {
            throw new ConfigException(failed + "timed out after " + text(limits.timeout()) + " (the route's timeout)", failure);
        }
        if (stdout.over()) {
            throw new ConfigException(failed + "wrote more than " + MAX_OUTPUT + " bytes (1 MiB) to stdout", failure);
        }
        if (failure instanceof OutOfMemoryError) {
            throw new ConfigException(failed + "ran out of memory: " + failure, failure);
        }
        if (failure instanceof ModuleExecutionException e) {
            throw new ConfigException(failed + "failed: " + e.getMessage() + (e.kind() == ModuleExecutionException.Kind.TRAP
                    ? " (its memory may not grow past max_memory, " + limits.maxMemory() + " bytes)" : ""), e);
        }
        if (failure != null) {
            throw new ConfigException(failed + "failed: " + failure, failure);
        }
        try {
            return SubRoutes.parse(route.route(), stdout.toString(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(route.origin() + ": " + module.name() + ": " + e.getMessage());
        }
    }

    /** {@code 2s}, {@code 1500ms}: a duration as it is configured. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** Stops the timer's thread, waiting (bounded) until it has ended. */
    @Override
    public void close() {
        timerThread.stop(timer, Duration.ofSeconds(10));
    }

    /** Interrupts one run's thread when its time is up, unless the run ended first. */
    private static final class Alarm {
        private Thread thread;
        private ScheduledFuture<?> scheduled;
        private boolean ended;
        private boolean rang;

        /** Arms the alarm for the run on {@code runner}. */
        synchronized void set(Thread runner, ScheduledFuture<?> future) {
            thread = runner;
            scheduled = future;
        }

        synchronized void ring() {
            if (!ended) {
                rang = true;
                thread.interrupt();
            }
        }

        /**
         * Ends the run: no interrupt can come after this, and the one the alarm gave is cleared
         * (an interrupt from anyone else is kept).
         */
        synchronized void stop() {
            ended = true;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            if (rang) {
                Thread.interrupted();
            }
        }

        synchronized boolean rang() {
            return rang;
        }
    }

    /** Stdout kept in memory, that fails the run once past {@link #MAX_OUTPUT}. */
    private static final class CappedOutput extends ByteArrayOutputStream {
        private boolean over;

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            if (over || length > MAX_OUTPUT - count) {
                over = true;
                throw new OverTheCap();
            }
            super.write(bytes, offset, length);
        }

        boolean over() {
            return over;
        }
    }

    /**
     * Thrown out of the module's write: a RuntimeException, which Chicory's WASI lets through,
     * where an IOException would only give the module an error code it may ignore.
     */
    private static final class OverTheCap extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OverTheCap() {
            super("_routes wrote more than " + MAX_OUTPUT + " bytes", null, false, false);
        }
    }
}
