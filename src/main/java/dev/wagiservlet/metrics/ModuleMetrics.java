package dev.wagiservlet.metrics;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the module cache has done: lookups that found a compiled module (hits) and lookups that had
 * to wait for a compile (misses), and every compile with its time and outcome, by module file.
 * Hits and misses are adders (they are on the request path); compiles are rare and keep the last
 * state of each file.
 */
public final class ModuleMetrics {

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder compilations = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder compileNanos = new LongAdder();
    private final Map<Path, ModuleState> modules = new ConcurrentHashMap<>();

    /**
     * The last compile of one module file.
     *
     * @param file the module file
     * @param size its size in bytes when it was compiled
     * @param compileNanos how long the compile took
     * @param compiledAt when it ended
     * @param failure why it failed, or null if it succeeded
     * @param compilations how often this file was compiled (each change of the file compiles it again)
     * @param interpretedFunctions how many of its functions the engine runs in an interpreter (too large to compile)
     */
    public record ModuleState(Path file, long size, long compileNanos, Instant compiledAt, String failure, long compilations,
            int interpretedFunctions) {

        /** Whether the last compile succeeded. */
        public boolean compiled() {
            return failure == null;
        }

        /** {@code compiled} or {@code failed}. */
        public String state() {
            return compiled() ? "compiled" : "failed";
        }

        public double compileMillis() {
            return compileNanos / 1e6;
        }
    }

    /** A lookup found the module compiled (or being compiled by an earlier lookup). */
    public void hit() {
        hits.increment();
    }

    /** A lookup found no compiled module for the file as it is now, and started a compile. */
    public void miss() {
        misses.increment();
    }

    /**
     * A compile ended.
     *
     * @param file the module file
     * @param size its size in bytes
     * @param nanos how long it took
     * @param failure why it failed, or null if it succeeded
     * @param interpretedFunctions how many of its functions the engine interprets (0 when it failed)
     */
    public void compiled(Path file, long size, long nanos, String failure, int interpretedFunctions) {
        compilations.increment();
        compileNanos.add(nanos);
        if (failure != null) {
            failures.increment();
        }
        modules.merge(file, new ModuleState(file, size, nanos, Instant.now(), failure, 1, interpretedFunctions),
                (old, now) -> new ModuleState(file, size, nanos, now.compiledAt(), failure, old.compilations() + 1, interpretedFunctions));
    }

    /** The last compile of a module file, if it was compiled. */
    public Optional<ModuleState> state(Path file) {
        return Optional.ofNullable(modules.get(file));
    }

    /** The last compile of every module file still known. */
    public Collection<ModuleState> states() {
        return modules.values();
    }

    /** Forgets the files not in {@code files} (modules no route uses any more). */
    public void retain(Collection<Path> files) {
        modules.keySet().retainAll(files instanceof Set<?> ? files : Set.copyOf(files));
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** Compiles, successful or not. */
    public long compilations() {
        return compilations.sum();
    }

    /** Compiles that failed. */
    public long compileFailures() {
        return failures.sum();
    }

    /** The time of every compile, added up, in nanoseconds. */
    public long compileNanos() {
        return compileNanos.sum();
    }

    /** Hits among all lookups, from 0 to 1; 0 before any lookup. */
    public double hitRatio() {
        long h = hits();
        long all = h + misses();
        return all == 0 ? 0 : (double) h / all;
    }
}
