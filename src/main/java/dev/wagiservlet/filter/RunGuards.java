package dev.wagiservlet.filter;

import dev.wagiservlet.threads.OwnedThreads;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The runs of one filter that are under way, swept every few milliseconds for those past their
 * deadline: starting and ending a run costs a set insertion and removal, not a scheduled task.
 */
final class RunGuards implements AutoCloseable {

    private static final long SWEEP_MILLIS = 20;

    private final Set<RunGuard> running = ConcurrentHashMap.newKeySet();
    private final OwnedThreads sweeperThread = OwnedThreads.named("wagi-timeouts");
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(sweeperThread);

    RunGuards() {
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Guards a run on the calling thread that may last {@code timeout}. */
    RunGuard start(Duration timeout) {
        RunGuard guard = new RunGuard(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
        running.add(guard);
        return guard;
    }

    void finish(RunGuard guard) {
        running.remove(guard);
        guard.finish();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (RunGuard guard : running) {
            if (guard.expired(now)) {
                guard.stop(RunGuard.Reason.TIMEOUT);
            }
        }
    }

    /** How many runs are under way. */
    int size() {
        return running.size();
    }

    /**
     * Stops every run under way (they end with 503) and the sweeper, and waits (bounded) for the
     * sweeper's thread to end, so the container never sees it alive after the webapp stopped.
     */
    @Override
    public void close() {
        sweeper.shutdown();
        running.forEach(guard -> guard.stop(RunGuard.Reason.SHUTDOWN));
        sweeperThread.stop(sweeper, Duration.ofSeconds(10));
    }
}
