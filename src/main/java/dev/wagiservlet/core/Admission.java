package dev.wagiservlet.core;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps how many module runs go on at once, over all routes and per route. A request waits for a
 * free slot at most the configured time, then is turned away (503), so a flood on one route
 * cannot take every container thread or fill the heap with module memories.
 */
final class Admission {

    private final Semaphore total;
    private final long waitNanos;

    Admission(int maxTotal, Duration wait) {
        this.total = new Semaphore(maxTotal, true);
        this.waitNanos = wait.toNanos();
    }

    /**
     * Takes a slot overall and, if the route has a cap, one of the route's.
     *
     * @param route the route's slots, or null if only the overall cap applies
     * @return the slots taken, or null if none came free in time
     */
    Ticket enter(Semaphore route) throws InterruptedException {
        long start = System.nanoTime();
        if (!total.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
            return null;
        }
        if (route != null && !route.tryAcquire(Math.max(0, waitNanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS)) {
            total.release();
            return null;
        }
        return new Ticket(route);
    }

    /** Whole seconds a client should wait before trying again. */
    long retryAfterSeconds() {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos));
    }

    /**
     * The slots of one run. Given back when the run ends, or earlier, when the run was stopped
     * while its thread waits on the client (see {@link RunGuard}): a client that stalls must not
     * keep a slot past its route's timeout.
     */
    final class Ticket {
        private final Semaphore route;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(Semaphore route) {
            this.route = route;
        }

        /** Gives the slots back; only the first call does. */
        void release() {
            if (released.compareAndSet(false, true)) {
                if (route != null) {
                    route.release();
                }
                total.release();
            }
        }
    }
}
