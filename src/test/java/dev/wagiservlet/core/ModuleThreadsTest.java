package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ModuleThreadsTest {

    /** A run whose stack the engine cannot bound: it goes to a module thread. */
    private static final OptionalLong HOP = OptionalLong.empty();

    /** A Java recursion that needs far more than a small thread's stack. */
    private static int depth(int n) {
        return n == 0 ? 0 : 1 + depth(n - 1);
    }

    @Test
    void runsOnThreadsOfItsStackSizeWhateverTheCallersStack() throws Exception {
        try (ModuleThreads threads = new ModuleThreads("test-module", 64L << 20)) {
            AtomicReference<Object> result = new AtomicReference<>();
            Thread caller = new Thread(null, () -> result.set(threads.call(HOP, () -> depth(200_000))), "small", 256 << 10);
            caller.start();
            caller.join();
            assertEquals(200_000, result.get());
        }
    }

    @Test
    void aRunKnownToNeedLittleStackStaysOnTheCallersThread() {
        try (ModuleThreads threads = new ModuleThreads("test-module", 1L << 20)) {
            assertSame(Thread.currentThread(), threads.call(OptionalLong.of(ModuleThreads.INLINE_STACK), Thread::currentThread));
            assertNotEquals(Thread.currentThread(), threads.call(OptionalLong.of(ModuleThreads.INLINE_STACK + 1), Thread::currentThread));
        }
    }

    @Test
    void withoutAStackSizeRunsOnTheCallersThread() throws Exception {
        try (ModuleThreads threads = new ModuleThreads("test-module", 0)) {
            assertSame(Thread.currentThread(), threads.call(HOP, Thread::currentThread));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread caller = new Thread(null, () -> {
                try {
                    threads.call(HOP, () -> depth(200_000));
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "small", 256 << 10);
            caller.start();
            caller.join();
            assertTrue(failure.get() instanceof StackOverflowError, String.valueOf(failure.get()));
        }
    }

    @Test
    void aThreadIsReusedAndWhatTheTaskThrowsIsThrownAsIs() {
        try (ModuleThreads threads = new ModuleThreads("test-module", 1L << 20)) {
            Thread first = threads.call(HOP, Thread::currentThread);
            assertNotEquals(Thread.currentThread(), first);
            assertTrue(first.getName().startsWith("test-module-"), first.getName());
            Set<Thread> used = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                used.add(threads.call(HOP, Thread::currentThread));
            }
            // an idle thread takes the next run; one just finishing its last may not be idle yet, so another may start
            assertTrue(used.size() < 10, "50 runs one after the other, on " + used.size() + " threads");
            IllegalArgumentException thrown = new IllegalArgumentException("from the run");
            assertSame(thrown, assertThrows(IllegalArgumentException.class, () -> threads.call(HOP, () -> {
                throw thrown;
            })));
            OutOfMemoryError error = new OutOfMemoryError("from the run");
            assertSame(error, assertThrows(OutOfMemoryError.class, () -> threads.call(HOP, () -> {
                throw error;
            })));
        }
    }

    @Test
    void anInterruptOfTheCallerDoesNotEndTheWaitAndIsKept() throws Exception {
        try (ModuleThreads threads = new ModuleThreads("test-module", 1L << 20)) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                threads.call(HOP, () -> {
                    running.countDown();
                    release.await();
                    finished.set(true);
                    return null;
                });
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            caller.start();
            assertTrue(running.await(10, TimeUnit.SECONDS));
            caller.interrupt();
            caller.join(200);
            assertTrue(caller.isAlive(), "the caller waits for the run, which still uses its request");
            release.countDown();
            caller.join(10_000);
            assertTrue(finished.get());
            assertTrue(interruptedAfter.get(), "the interrupt is kept for the caller");
        }
    }

    @Test
    void closingEndsTheThreads() {
        ModuleThreads threads = new ModuleThreads("test-module", 1L << 20);
        Thread thread = threads.call(HOP, Thread::currentThread);
        threads.close();
        assertFalse(thread.isAlive());
        assertThrows(RejectedExecutionException.class, () -> threads.call(HOP, () -> 1));
    }
}
