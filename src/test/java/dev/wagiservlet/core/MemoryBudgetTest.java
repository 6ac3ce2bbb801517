package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void runsBookUpToTheCapacityAndGiveItBackWhenTheyEnd() {
        MemoryBudget budget = new MemoryBudget(100);
        MemoryBudget.Account first = budget.open();
        MemoryBudget.Account second = budget.open();
        assertTrue(first.reserve(60));
        assertTrue(second.reserve(40));
        assertEquals(100, budget.used());
        assertFalse(second.reserve(1), "full");
        assertTrue(second.refused());
        assertFalse(first.refused());
        first.close();
        assertEquals(40, budget.used());
        assertTrue(second.reserve(60), "the first run's memory is free again");
        second.close();
        assertEquals(0, budget.used());
    }

    @Test
    void aRefusalBooksNothing() {
        MemoryBudget budget = new MemoryBudget(10);
        MemoryBudget.Account account = budget.open();
        assertFalse(account.reserve(11));
        assertEquals(0, budget.used());
        account.close();
        assertEquals(0, budget.used());
    }

    @Test
    void manyThreadsNeverBookMoreThanTheCapacity() throws Exception {
        MemoryBudget budget = new MemoryBudget(1_000);
        Thread[] threads = new Thread[8];
        long[] max = new long[1];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    MemoryBudget.Account account = budget.open();
                    account.reserve(300);
                    account.reserve(300);
                    synchronized (max) {
                        max[0] = Math.max(max[0], budget.used());
                    }
                    account.close();
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(max[0] <= 1_000, "booked " + max[0]);
        assertEquals(0, budget.used());
    }
}
