package dev.wagiservlet.engine.chicory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SparesTest {

    @Test
    void keepsAtMostItsBoundAndGivesTheLastOneFirst() {
        Spares<String> spares = new Spares<>(2);
        assertNull(spares.take());
        spares.give("a");
        spares.give("b");
        spares.give("c"); // over the bound: dropped
        assertEquals("b", spares.take());
        assertEquals("a", spares.take());
        assertNull(spares.take());
    }

    @Test
    void concurrentRunsNeverShareASpare() throws Exception {
        Spares<Object> spares = new Spares<>(4);
        Set<Object> inUse = ConcurrentHashMap.newKeySet();
        Set<Object> clashes = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 8; t++) {
            threads.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    Object spare = spares.take();
                    if (spare == null) {
                        spare = new Object();
                    }
                    if (!inUse.add(spare)) {
                        clashes.add(spare);
                    }
                    inUse.remove(spare);
                    spares.give(spare);
                }
            });
        }
        start.countDown();
        threads.shutdown();
        threads.awaitTermination(60, TimeUnit.SECONDS);
        assertEquals(Set.of(), clashes, "a spare was handed to two runs at once");
        Set<Object> left = new HashSet<>();
        for (Object o; (o = spares.take()) != null; ) {
            left.add(o);
        }
        assertEquals(true, left.size() <= 4, "bound kept: " + left.size());
    }
}
