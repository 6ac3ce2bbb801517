package dev.wagiservlet.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OwnedThreadsTest {

    @Test
    void threadsAreDaemonsNamedInTurn() throws Exception {
        OwnedThreads factory = OwnedThreads.numbered("wagi-test");
        Thread first = factory.newThread(() -> {});
        Thread second = factory.newThread(() -> {});
        assertEquals("wagi-test-1", first.getName());
        assertEquals("wagi-test-2", second.getName());
        assertTrue(first.isDaemon() && second.isDaemon());
        assertEquals("wagi-single", OwnedThreads.named("wagi-single").newThread(() -> {}).getName());
    }

    @Test
    void contextClassLoaderIsTheOneGiven() {
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        assertSame(platform, OwnedThreads.named("x").withContextClassLoader(platform).newThread(() -> {}).getContextClassLoader());
    }

    /**
     * The case awaitTermination alone gets wrong: the executor is terminated while its worker still
     * runs (here: its thread's exit is held up by code after the worker loop, as a slow exit is).
     */
    @Test
    void stopWaitsUntilEveryThreadHasEnded() throws Exception {
        CountDownLatch workerDone = new CountDownLatch(1);
        List<Thread> made = new CopyOnWriteArrayList<>();
        OwnedThreads threads = OwnedThreads.numbered("wagi-test");
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = threads.newThread(() -> {
                task.run(); // the executor's worker loop; it ends once the executor is shut down
                workerDone.countDown();
                sleepUninterruptibly(300); // the thread lingers after the executor says it terminated
            });
            made.add(thread);
            return thread;
        });
        executor.submit(() -> {}).get();

        assertTrue(threads.stop(executor, Duration.ofSeconds(10)), "all ended");
        assertTrue(executor.isTerminated());
        assertTrue(workerDone.await(0, TimeUnit.SECONDS));
        assertEquals(1, made.size());
        assertFalse(made.get(0).isAlive(), "the worker thread has ended, not just the executor");
    }

    @Test
    void stopInterruptsTasksAndGivesUpAfterItsPatience() throws Exception {
        OwnedThreads threads = OwnedThreads.numbered("wagi-test");
        ExecutorService executor = Executors.newFixedThreadPool(1, threads);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        executor.submit(() -> {
            started.countDown();
            while (release.getCount() > 0) {
                // ignores interrupts, like a CPU-bound compile
            }
        });
        started.await();
        assertFalse(threads.stop(executor, Duration.ofMillis(200)), "the busy thread outlives the patience");
        release.countDown();
        assertTrue(threads.stop(executor, Duration.ofSeconds(10)));
    }

    private static void sleepUninterruptibly(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                // keep lingering
            }
        }
    }
}
