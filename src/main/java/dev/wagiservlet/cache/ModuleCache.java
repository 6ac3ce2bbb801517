package dev.wagiservlet.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.metrics.ModuleMetrics;
import dev.wagiservlet.threads.OwnedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Compiled modules, keyed by file and version (size and modification time), so a module file that
 * changes is compiled again on its next use and an unchanged one never is. Compilation runs on the
 * cache's own threads: a slow compile holds up only the requests that need that module. Compiles
 * started ahead of need ({@link #prefetch}, for big modules at startup) have a thread of their own,
 * so a compile a request waits for never queues behind them.
 */
public final class ModuleCache implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ModuleCache.class.getName());

    private final WasmEngine engine;
    private final OwnedThreads compilerThreads = OwnedThreads.numbered("wagi-compiler");
    private final ExecutorService compiler;
    private final OwnedThreads backgroundThreads = OwnedThreads.named("wagi-background-compiler");
    private final ExecutorService background = Executors.newSingleThreadExecutor(backgroundThreads);
    private final AsyncCache<ModuleKey, Loaded> modules;
    private final ModuleMetrics metrics;

    /**
     * @param engine compiles the modules
     * @param maximumModules how many compiled modules to keep at most
     */
    public ModuleCache(WasmEngine engine, long maximumModules) {
        this(engine, maximumModules, new ModuleMetrics());
    }

    /**
     * @param engine compiles the modules
     * @param maximumModules how many compiled modules to keep at most
     * @param metrics records hits, misses and every compile
     */
    public ModuleCache(WasmEngine engine, long maximumModules, ModuleMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
        this.compiler = Executors.newFixedThreadPool(2, compilerThreads);
        this.modules = Caffeine.newBuilder()
                .maximumSize(maximumModules)
                .executor(compiler)
                .buildAsync();
    }

    /**
     * Starts compiling the file as it is now, if it is not compiled yet, and returns at once. Such
     * compiles take turns on one background thread; a request that needs the module waits for it.
     */
    public void prefetch(Path file) throws ModuleLoadException {
        ModuleKey key = ModuleKey.of(file);
        modules.get(key, (k, executor) -> CompletableFuture.supplyAsync(() -> load(k), background));
    }

    /**
     * The compiled module for the file as it is now: compiles it if it is new or has changed. A
     * file that failed to compile fails again, without another try, until it changes.
     *
     * @throws ModuleLoadException if the file cannot be read or is not a valid module
     */
    public CompiledModule get(Path file) throws ModuleLoadException {
        ModuleKey key = ModuleKey.of(file);
        Loaded loaded;
        try {
            CompletableFuture<Loaded> future = modules.getIfPresent(key);
            if (future != null) {
                metrics.hit();
            } else {
                metrics.miss();
                future = modules.get(key, (k, executor) -> CompletableFuture.supplyAsync(() -> load(k), executor));
            }
            loaded = future.join();
        } catch (CompletionException e) {
            modules.synchronous().invalidate(key);
            throw new ModuleLoadException(file + ": " + e.getCause(), e.getCause());
        }
        if (loaded.failure() != null) {
            throw new ModuleLoadException(loaded.failure().getMessage(), loaded.failure());
        }
        return loaded.module();
    }

    private Loaded load(ModuleKey key) {
        long start = System.nanoTime();
        Loaded loaded;
        try {
            CompiledModule module = engine.compile(key.file().toString(), Files.readAllBytes(key.file()));
            LOG.log(Level.INFO, "Compiled {0} ({1} bytes) in {2} ms", key.file(), Long.toString(key.size()),
                    Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
            loaded = new Loaded(module, null);
        } catch (ModuleLoadException e) {
            loaded = new Loaded(null, e);
        } catch (IOException e) {
            loaded = new Loaded(null, new ModuleLoadException(key.file() + " cannot be read: " + e, e));
        } catch (RuntimeException e) {
            loaded = new Loaded(null, new ModuleLoadException(key.file() + " cannot be compiled: " + e, e));
        }
        metrics.compiled(key.file(), key.size(), System.nanoTime() - start,
                loaded.failure() == null ? null : loaded.failure().getMessage(),
                loaded.module() == null ? 0 : loaded.module().interpretedFunctions().size());
        // Older versions of the same file will not be asked for again.
        modules.synchronous().asMap().keySet().removeIf(k -> k.file().equals(key.file()) && !k.equals(key));
        return loaded;
    }

    /** How many file versions the cache holds (compiled, or failed). */
    public long size() {
        return modules.synchronous().estimatedSize();
    }

    /** Drops every compiled module and stops the compiler threads. */
    @Override
    public void close() {
        modules.synchronous().invalidateAll();
        if (!compilerThreads.stop(compiler, Duration.ofSeconds(10)) | !backgroundThreads.stop(background, Duration.ofSeconds(10))) {
            LOG.log(Level.WARNING, "A module compile still runs 10 s after the module cache was closed;"
                    + " its thread ends when the compile does");
        }
    }

    /** A file's identity: the path plus what changes when the file does. */
    record ModuleKey(Path file, long size, long modified) {
        static ModuleKey of(Path file) throws ModuleLoadException {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (!attributes.isRegularFile()) {
                    throw new ModuleLoadException(file + " is not a regular file", null);
                }
                return new ModuleKey(file, attributes.size(), attributes.lastModifiedTime().toMillis());
            } catch (IOException e) {
                throw new ModuleLoadException(file + " cannot be read: " + e, e);
            } catch (UncheckedIOException e) {
                throw new ModuleLoadException(file + " cannot be read: " + e.getCause(), e);
            }
        }
    }

    /** One version of a file: compiled, or the reason it could not be. */
    private record Loaded(CompiledModule module, ModuleLoadException failure) {}
}
