package dev.wagiservlet.core;

import dev.wagiservlet.engine.MemoryAccount;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap that module instances of all runs at once may take ({@code max_total_memory}). Each run
 * books its instance's linear memory and tables through its own {@link Account} before the engine
 * allocates them, and gives everything back when it ends; an instance the budget has no room for
 * does not start, and a {@code memory.grow} it has no room for fails. So concurrent runs cannot
 * exhaust the heap, however much each may grow to under its own {@code max_memory}.
 */
final class MemoryBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    MemoryBudget(long capacity) {
        this.capacity = capacity;
    }

    /** A new account for one run. */
    Account open() {
        return new Account();
    }

    /** Bytes booked by runs under way. */
    long used() {
        return used.get();
    }

    long capacity() {
        return capacity;
    }

    private boolean take(long bytes) {
        while (true) {
            long current = used.get();
            if (current + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    /** What one run booked; used by the run's own thread. */
    final class Account implements MemoryAccount, AutoCloseable {
        private long booked;
        private boolean refused;

        @Override
        public boolean reserve(long bytes) {
            if (bytes <= 0) {
                return true;
            }
            if (!take(bytes)) {
                refused = true;
                return false;
            }
            booked += bytes;
            return true;
        }

        /** Whether the budget refused this run something: its failure is the server's load, not the module's fault. */
        boolean refused() {
            return refused;
        }

        /** Gives back everything the run booked. */
        @Override
        public void close() {
            used.addAndGet(-booked);
            booked = 0;
        }
    }
}
