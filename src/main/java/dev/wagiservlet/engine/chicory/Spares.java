package dev.wagiservlet.engine.chicory;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few spare objects of one module (memories, WASI contexts) for its next runs: lock-free, so
 * that the runs of a busy route never queue behind each other for it, and last in, first out, so
 * that the spare taken is the one most likely still in the CPU's cache.
 */
final class Spares<T> {

    private final ConcurrentLinkedDeque<T> spares = new ConcurrentLinkedDeque<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int most;

    /** @param most how many spares to keep at most */
    Spares(int most) {
        this.most = most;
    }

    /** A spare, or null if there is none. */
    T take() {
        T spare = spares.pollFirst();
        if (spare != null) {
            count.decrementAndGet();
        }
        return spare;
    }

    /** Keeps the object as a spare, unless there are enough already. */
    void give(T spare) {
        if (count.incrementAndGet() <= most) {
            spares.offerFirst(spare);
        } else {
            count.decrementAndGet();
        }
    }
}
