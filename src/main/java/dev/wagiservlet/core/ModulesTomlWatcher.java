package dev.wagiservlet.core;

import dev.wagiservlet.threads.OwnedThreads;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks a modules.toml at a fixed interval and calls back when its size or modification time
 * changed. One daemon thread per filter, stopped with it; whatever a callback throws is logged,
 * and the watching goes on.
 */
final class ModulesTomlWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ModulesTomlWatcher.class.getName());

    private final Path file;
    private final Runnable onChange;
    private final OwnedThreads timerThread = OwnedThreads.named("wagi-modules-toml-watcher");
    private final ScheduledExecutorService timer;
    private Object lastSeen;

    ModulesTomlWatcher(Path file, Duration interval, Runnable onChange) {
        this.file = file;
        this.onChange = onChange;
        this.lastSeen = version();
        this.timer = Executors.newSingleThreadScheduledExecutor(timerThread);
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Never throws: a scheduled task that throws is never run again, and every later edit would
     * be ignored without a word.
     */
    private void check() {
        try {
            Object version = version();
            if (!Objects.equals(version, lastSeen)) {
                lastSeen = version;
                onChange.run();
            }
        } catch (Throwable e) { // an Error too (OutOfMemoryError, ...): log it, and watch on
            LOG.log(Level.ERROR, "Reloading " + file + " failed; still watching it for changes", e);
        }
    }

    private Object version() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        timerThread.stop(timer, Duration.ofSeconds(10));
    }
}
