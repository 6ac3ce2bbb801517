package dev.wagiservlet.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs of one gateway that are under way, swept for those past their deadline: starting and
 * ending a run costs a set insertion and removal, not a scheduled task. Stops every run at
 * shutdown. (The sweep itself comes from the gateway's {@link Ticker}.)
 */
final class RunSupervisor {

    private final Set<RunGuard> running = ConcurrentHashMap.newKeySet();

    /**
     * Guards a run on the calling thread that may last {@code timeout}.
     *
     * @param onStoppedWaiting what to do when the run is stopped while it waits on its client
     */
    RunGuard start(Duration timeout, Runnable onStoppedWaiting) {
        RunGuard guard = new RunGuard(Thread.currentThread(), System.nanoTime() + timeout.toNanos(), onStoppedWaiting);
        running.add(guard);
        return guard;
    }

    /** Ends the guard of a run that is over, on the run's thread. */
    void finish(RunGuard guard) {
        running.remove(guard);
        guard.finish();
    }

    /** Stops the runs past their deadline. */
    void sweep(long now) {
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

    /** Stops every run under way: they end with 503, or an aborted connection once streaming. */
    void stopAll() {
        running.forEach(guard -> guard.stop(RunGuard.Reason.SHUTDOWN));
    }
}
