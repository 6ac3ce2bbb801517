package dev.wagiservlet.filter;

import dev.wagiservlet.threads.OwnedThreads;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The runs of one filter that are under way, swept every few milliseconds for those past their
 * deadline: starting and ending a run costs a set insertion and removal, not a scheduled task.
 *
 * <p>The sweep also ends the hold on a run's output. A module's first writes are held in the
 * container's response buffer, so that a quick run is answered in one piece, with a
 * Content-Length, and a run that fails early still gets a clean error status. Once a run has gone
 * on for {@link #HOLD_MILLIS}, what it holds is sent, and every later write as it is made; that
 * happens on a thread of its own (the run's thread may be computing, and a send may block on a
 * slow client).
 */
final class RunGuards implements AutoCloseable {

    private static final long SWEEP_MILLIS = 20;
    /** How long a run's output may be held back; with the sweep's period, it is sent within twice this. */
    static final long HOLD_MILLIS = 20;
    private static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);

    private final Set<RunGuard> running = ConcurrentHashMap.newKeySet();
    private final OwnedThreads sweeperThread = OwnedThreads.named("wagi-timeouts");
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(sweeperThread);
    private final OwnedThreads senderThreads = OwnedThreads.numbered("wagi-output");
    private final ExecutorService senders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS,
            new SynchronousQueue<>(), senderThreads);

    RunGuards() {
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Guards a run on the calling thread that may last {@code timeout}.
     *
     * @param onStoppedWaiting what to do when the run is stopped while it waits on its client
     */
    RunGuard start(Duration timeout, Runnable onStoppedWaiting) {
        long now = System.nanoTime();
        RunGuard guard = new RunGuard(Thread.currentThread(), now, now + timeout.toNanos(), onStoppedWaiting);
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
                continue;
            }
            RunGuard.HeldOutput held = guard.heldOutputOlderThan(HOLD_NANOS, now);
            if (held != null) {
                try {
                    senders.execute(held::release);
                } catch (RejectedExecutionException e) {
                    // closing: the run is being stopped
                }
            }
        }
    }

    /** How many runs are under way. */
    int size() {
        return running.size();
    }

    /**
     * Stops every run under way (they end with 503), the sweeper and the senders, and waits
     * (bounded) for their threads to end, so the container never sees it alive after the webapp stopped.
     */
    @Override
    public void close() {
        sweeper.shutdown();
        running.forEach(guard -> guard.stop(RunGuard.Reason.SHUTDOWN));
        sweeperThread.stop(sweeper, Duration.ofSeconds(10));
        senderThreads.stop(senders, Duration.ofSeconds(10));
    }
}
