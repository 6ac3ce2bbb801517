package dev.wagiservlet.core;

import dev.wagiservlet.threads.OwnedThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * One thread that calls its sweeps every few milliseconds with the time ({@link System#nanoTime}):
 * the run supervisor's timeouts and the output relay's releases share it.
 */
final class Ticker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Ticker.class.getName());

    private final OwnedThreads thread = OwnedThreads.named("wagi-timeouts");
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(thread);

    Ticker(long periodMillis, List<LongConsumer> sweeps) {
        timer.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            for (LongConsumer sweep : sweeps) {
                try {
                    sweep.accept(now);
                } catch (RuntimeException e) { // a task that throws would end the schedule: no timeout would fire again
                    LOG.log(System.Logger.Level.ERROR, "A sweep of the gateway failed", e);
                }
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops the sweeps and waits (bounded) for the thread to end. */
    @Override
    public void close() {
        timer.shutdown();
        thread.stop(timer, Duration.ofSeconds(10));
    }
}
