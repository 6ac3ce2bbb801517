package dev.wagiservlet.engine.wasmtime;

import dev.wagiservlet.threads.OwnedThreads;
import io.github.kawamuray.wasmtime.Engine;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Advances an engine's epoch every {@link #TICK_MILLIS}: a run's store traps with
 * {@code INTERRUPT} once the epoch passes the deadline it was given when it started. (The deadline
 * of a running store cannot be changed from another thread: wasmtime-java holds the store's lock
 * for the whole call.) While a module compiles on the same engine, {@code incrementEpoch} waits for
 * the compile, so deadlines fall late by up to the compile's length (and are not made up after it).
 */
final class EpochTicker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EpochTicker.class.getName());
    static final long TICK_MILLIS = 10;

    /** The deadline of a run without a timeout: an hour. */
    static final long NO_TIMEOUT_TICKS = 3_600_000 / TICK_MILLIS;
    /** At most this many ticks are forced at {@link #stopRuns}: a deadline further out than about a day is not reached. */
    private static final long MAX_FORCED_TICKS = 10_000_000;

    private final OwnedThreads threads = OwnedThreads.named("wagi-wasmtime-epoch");
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(threads);
    private final Engine engine;
    private final AtomicLong furthest = new AtomicLong();

    EpochTicker(Engine engine) {
        this.engine = engine;
        // with a fixed delay, not at a fixed rate: ticks a compile held up are not made up in a burst
        // afterwards, which would trap runs that started during the compile before their time
        executor.scheduleWithFixedDelay(engine::incrementEpoch, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The deadline, in ticks beyond the current epoch, for a run that may take {@code timeout} (zero: none, an hour). */
    long ticks(Duration timeout) {
        long ticks = timeout.isZero() || timeout.isNegative() ? NO_TIMEOUT_TICKS
                : Math.max(1, timeout.toMillis() / TICK_MILLIS) + SLACK_TICKS;
        furthest.accumulateAndGet(ticks, Math::max);
        return ticks;
    }

    /**
     * Makes every run under way trap at once, at shutdown: advances the epoch past the furthest
     * deadline given (a running store's deadline cannot be changed, but the epoch can be pushed).
     */
    void stopRuns() {
        long ticks = Math.min(furthest.get() + 1, MAX_FORCED_TICKS);
        for (long i = 0; i < ticks; i++) {
            engine.incrementEpoch();
        }
    }

    /**
     * Ticks past the timeout before the store traps, so that the host's own stop (which interrupts
     * the thread at the timeout, and makes the answer a 504) comes first.
     */
    static final long SLACK_TICKS = 10;

    @Override
    public void close() {
        if (!threads.stop(executor, Duration.ofSeconds(5))) {
            LOG.log(Level.WARNING, "The wasmtime epoch thread still runs 5 s after its engine was closed (a compile holds it)");
        }
    }
}
