package dev.wagiservlet.threads;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the daemon threads of one executor of the webapp and remembers them, so that stopping the
 * executor can wait until each thread has really ended. {@link ExecutorService#awaitTermination}
 * alone is not enough: it returns while the last worker is still leaving its run method, and a
 * container that checks for left-over threads right after the webapp stopped (Tomcat does) would
 * see it alive and report a leak.
 */
public final class OwnedThreads implements ThreadFactory {

    private final String name;
    private final boolean numbered;
    private final ClassLoader contextLoader;
    private final long stackSize;
    private final AtomicInteger count = new AtomicInteger();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    private OwnedThreads(String name, boolean numbered, ClassLoader contextLoader, long stackSize) {
        this.name = name;
        this.numbered = numbered;
        this.contextLoader = contextLoader;
        this.stackSize = stackSize;
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, … */
    public static OwnedThreads numbered(String prefix) {
        return new OwnedThreads(prefix, true, null, 0);
    }

    /** Threads that all carry the one name (for a single-thread executor). */
    public static OwnedThreads named(String name) {
        return new OwnedThreads(name, false, null, 0);
    }

    /** The same threads, started with this context class loader instead of the creating thread's. */
    public OwnedThreads withContextClassLoader(ClassLoader loader) {
        return new OwnedThreads(name, numbered, loader, stackSize);
    }

    /** The same threads, with a stack of this many bytes instead of the JVM's default ({@code -Xss}). */
    public OwnedThreads withStackSize(long bytes) {
        return new OwnedThreads(name, numbered, contextLoader, bytes);
    }

    @Override
    public Thread newThread(Runnable task) {
        threads.removeIf(thread -> !thread.isAlive());
        Thread thread = new Thread(null, task, numbered ? name + "-" + count.incrementAndGet() : name, stackSize);
        thread.setDaemon(true);
        if (contextLoader != null) {
            thread.setContextClassLoader(contextLoader);
        }
        threads.add(thread);
        return thread;
    }

    /**
     * Stops the executor (interrupting its tasks) and waits, at most {@code patience} in all, until
     * every thread this factory made has ended.
     *
     * @return whether they all ended in time
     */
    public boolean stop(ExecutorService executor, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        executor.shutdownNow();
        try {
            executor.awaitTermination(patience.toNanos(), TimeUnit.NANOSECONDS);
            for (Thread thread : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.removeIf(thread -> !thread.isAlive());
        return threads.isEmpty();
    }
}
