package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher outlives whatever a reload throws, and keeps calling back on later edits. */
class ModulesTomlWatcherTest {

    @Test
    void anErrorInAReloadIsLoggedAndLaterEditsAreStillSeen(@TempDir Path dir) throws Exception {
        Path toml = Files.writeString(dir.resolve("modules.toml"), "one");
        AtomicInteger calls = new AtomicInteger();
        Logger log = Logger.getLogger(ModulesTomlWatcher.class.getName());
        Level level = log.getLevel();
        log.setLevel(Level.OFF); // the OutOfMemoryError below is expected
        try (ModulesTomlWatcher watcher = new ModulesTomlWatcher(toml, Duration.ofMillis(20), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new OutOfMemoryError("as a _routes flood once gave");
            }
        })) {
            edit(toml, "two", 1);
            assertTrue(waitFor(calls, 1), "the first edit is seen");
            edit(toml, "three!", 2);
            assertTrue(waitFor(calls, 2), "an edit after the reload that threw is still seen");
        } finally {
            log.setLevel(level);
        }
        assertEquals(2, calls.get());
    }

    private static void edit(Path file, String text, int seconds) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(seconds)));
    }

    private static boolean waitFor(AtomicInteger calls, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (calls.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return calls.get() >= count;
    }
}
