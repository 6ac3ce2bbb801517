package dev.wagiservlet.core;

import dev.wagiservlet.threads.OwnedThreads;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads module runs happen on ({@code module_stack_size}): threads of a known stack size, so
 * that how deep a module may recurse depends on the setting, not on the container's {@code -Xss}
 * or on how much of its request thread's stack the container has used, and so that wasmtime's
 * native code, which runs on the calling thread's stack, never runs past a stack it was not sized
 * for (that would crash the JVM). The caller hands a run over and waits for it; the run uses the
 * request's streams in the meantime, which the servlet API allows while the request's own thread
 * waits for it.
 *
 * <p>The hand-over costs two thread switches per run (about 30 % of hello.wasm's throughput, measured), so a
 * run known to need little stack (a module that cannot recurse) stays on the caller's thread.
 *
 * <p>A pool without a queue: an idle thread takes the run, else a new thread is made; threads idle
 * for {@link #KEEP_ALIVE} end, so the stack pages a deep run touched are given back. Admission
 * bounds how many runs there are at once. With a stack size of 0 there are no threads: runs happen
 * on the caller's thread.
 */
final class ModuleThreads implements AutoCloseable {

    /** How long an idle module thread waits for another run before it ends. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    /**
     * The most stack a run may be known to take and still run on the caller's thread: a small
     * part of a container's 1 MiB request thread (-Xss), which the container's own frames use too.
     */
    static final long INLINE_STACK = 128 << 10;

    private final long stackSize;
    private final OwnedThreads threads;
    private final ExecutorService executor;

    /**
     * @param name the threads' name prefix
     * @param stackSize the threads' stack size in bytes; 0 to run on the caller's thread
     */
    ModuleThreads(String name, long stackSize) {
        this.stackSize = stackSize;
        if (stackSize == 0) {
            this.threads = null;
            this.executor = null;
        } else {
            this.threads = OwnedThreads.numbered(name).withStackSize(stackSize);
            this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE.toNanos(), TimeUnit.NANOSECONDS,
                    new SynchronousQueue<>(), threads);
        }
    }

    /** The stack size of the threads, in bytes; 0 when runs happen on the caller's thread. */
    long stackSize() {
        return stackSize;
    }

    /**
     * Runs the task and returns its result: on the caller's thread when the run is known to need
     * little stack ({@code stackBound} at most {@link #INLINE_STACK}: a module that cannot recurse,
     * see {@code CompiledModule.stackBound}), else on a module thread, waiting for it however long
     * it takes: the task may be using the caller's request. An interrupt of the waiting thread does
     * not end the wait (the run's own timeout ends the run); it is kept for the caller.
     *
     * @throws RuntimeException or {@link Error} as thrown by the task, or if the threads are closed
     */
    <T> T call(OptionalLong stackBound, Callable<T> task) {
        if (executor == null || (stackBound.isPresent() && stackBound.getAsLong() <= INLINE_STACK)) {
            return callHere(task);
        }
        Future<T> result = executor.submit(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrown(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> T callHere(Callable<T> task) {
        try {
            return task.call();
        } catch (Exception e) {
            throw rethrown(e);
        }
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException e) {
            throw e;
        } else if (cause instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("a module run failed: " + cause, cause); // tasks here throw no checked exception
    }

    /** Ends the threads (runs still under way are interrupted; the gateway stops them first). */
    @Override
    public void close() {
        if (executor != null) {
            threads.stop(executor, Duration.ofSeconds(5));
        }
    }
}
