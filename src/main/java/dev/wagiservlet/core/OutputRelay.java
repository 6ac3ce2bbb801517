package dev.wagiservlet.core;

import dev.wagiservlet.threads.OwnedThreads;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Holds a run's first output in the container's response buffer, so that a quick run is answered
 * in one piece, with a Content-Length, and a run that fails early still gets a clean error status;
 * once a run has gone on for {@link #HOLD_MILLIS}, what it holds is sent, and every later write as
 * it is made. The send happens on a thread of its own: the run's thread may be computing, and a
 * send may block on a slow client.
 */
final class OutputRelay implements AutoCloseable {

    /** How long a run's output may be held back; with the sweep's period, it is sent within twice this. */
    static final long HOLD_MILLIS = 20;
    private static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);

    /** Output a run holds back. */
    interface HeldOutput {
        /** Whether anything is held now. */
        boolean holding();

        /** Sends what is held, and from now on every write as it is made. */
        void release();
    }

    private final Map<HeldOutput, Long> held = new ConcurrentHashMap<>();
    private final OwnedThreads senderThreads = OwnedThreads.numbered("wagi-output");
    private final ExecutorService senders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS,
            new SynchronousQueue<>(), senderThreads);

    /** Starts holding a run's output, from now. */
    void hold(HeldOutput output) {
        held.put(output, System.nanoTime());
    }

    /** The run has ended: nothing of its output is sent from here any more. */
    void done(HeldOutput output) {
        held.remove(output);
    }

    /** Sends, each once, the outputs held longer than {@link #HOLD_MILLIS} that hold something. */
    void sweep(long now) {
        held.forEach((output, since) -> {
            if (now - since >= HOLD_NANOS && output.holding() && held.remove(output, since)) {
                try {
                    senders.execute(output::release);
                } catch (RejectedExecutionException e) {
                    // closing: the run is being stopped
                }
            }
        });
    }

    /** Stops the senders and waits (bounded) for their threads to end. */
    @Override
    public void close() {
        senderThreads.stop(senders, Duration.ofSeconds(10));
    }
}
