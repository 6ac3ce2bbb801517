package dev.wagiservlet.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops one module run that takes too long, or is cancelled at shutdown, without ever
 * interrupting its thread inside the container's own I/O. An interrupt that lands while a thread
 * reads the request or writes the response can close the connection's channel under Tomcat or
 * Jetty, so the standard streams a module gets are wrapped: while the thread is inside one of them
 * the guard only marks the run as stopped, and the stream throws {@link Stopped} as soon as the
 * I/O returns. Outside them, the thread is interrupted, which Chicory notices at once.
 *
 * <p>A run blocked reading a request body that does not arrive, or writing to a client that does
 * not read, stays blocked until the container's own timeout ends the I/O; then it stops. Such a
 * run only waits on its client, so a stop gives its slots back at once ({@code onStoppedWaiting}).
 */
final class RunGuard {

    /** Why a run was stopped. */
    enum Reason { TIMEOUT, SHUTDOWN }

    /** Thrown into a run that was stopped, from the first stream call after the stop. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(Reason reason) {
            super("module run stopped: " + reason, null, false, false);
        }
    }

    private static final int RUNNING = 0;
    private static final int IN_IO = 1;
    private static final int STOPPED = 2;
    private static final int IN_IO_STOPPED = 3;
    private static final int DONE = 4;

    private final Thread thread;
    private final long deadline;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final Runnable onStoppedWaiting;
    private volatile Reason reason;

    /**
     * @param onStoppedWaiting called (on the stopping thread) when the run is stopped while its
     *     thread is inside the container's I/O
     */
    RunGuard(Thread thread, long deadlineNanos, Runnable onStoppedWaiting) {
        this.thread = thread;
        this.deadline = deadlineNanos;
        this.onStoppedWaiting = onStoppedWaiting;
    }

    boolean expired(long now) {
        return now - deadline >= 0;
    }

    /**
     * Stops the run: interrupts its thread unless it is in I/O, in which case the I/O's return stops
     * it. Synchronized with {@link #finish()}, so an interrupt never lands after the run ended.
     */
    synchronized void stop(Reason why) {
        while (true) {
            int current = state.get();
            if (current == RUNNING) {
                if (state.compareAndSet(RUNNING, STOPPED)) {
                    reason = why;
                    thread.interrupt();
                    return;
                }
            } else if (current == IN_IO) {
                if (state.compareAndSet(IN_IO, IN_IO_STOPPED)) {
                    reason = why;
                    onStoppedWaiting.run();
                    return;
                }
            } else {
                return; // already stopped or done
            }
        }
    }

    /** Why the run was stopped, or null if it was not. */
    Reason stopped() {
        return reason;
    }

    /**
     * Ends the guard, on the run's own thread, before it writes anything else to the response:
     * clears an interrupt that a stop may have left on it.
     */
    synchronized void finish() {
        state.set(DONE);
        Thread.interrupted();
    }

    private void enterIo() {
        if (!state.compareAndSet(RUNNING, IN_IO)) {
            throw new Stopped(reason);
        }
    }

    private void exitIo() {
        if (!state.compareAndSet(IN_IO, RUNNING)) {
            state.set(STOPPED);
            throw new Stopped(reason);
        }
    }

    InputStream input(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                enterIo();
                try {
                    return super.read();
                } finally {
                    exitIo();
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                enterIo();
                try {
                    return super.read(b, off, len);
                } finally {
                    exitIo();
                }
            }

            @Override
            public void close() {
                // the request's stream belongs to the container
            }
        };
    }

    OutputStream output(OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                enterIo();
                try {
                    out.write(b);
                } finally {
                    exitIo();
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                enterIo();
                try {
                    out.write(b, off, len);
                } finally {
                    exitIo();
                }
            }

            @Override
            public void flush() throws IOException {
                enterIo();
                try {
                    out.flush();
                } finally {
                    exitIo();
                }
            }

            @Override
            public void close() {
                // closed by its owner
            }
        };
    }
}
