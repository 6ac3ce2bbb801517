package dev.wagiservlet.bench.runner;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Samples the RSS of the server's process tree (the JVM plus any CGI children) every 100 ms on a
 * daemon thread and remembers the peak. The process may appear only after sampling starts.
 */
final class RssSampler implements AutoCloseable {

    private final Supplier<Optional<ProcessHandle>> process;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    RssSampler(Supplier<Optional<ProcessHandle>> process) {
        this.process = process;
        this.thread = new Thread(this::loop, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        ProcessHandle handle = null;
        while (running) {
            if (handle == null) {
                handle = process.get().orElse(null);
            }
            if (handle != null) {
                long rss = ProcessTree.rssBytes(handle);
                if (rss > peak) {
                    peak = rss;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The highest RSS seen so far, in bytes. */
    long peak() {
        return peak;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
