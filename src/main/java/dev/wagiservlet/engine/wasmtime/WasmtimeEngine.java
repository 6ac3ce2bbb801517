package dev.wagiservlet.engine.wasmtime;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasmBinary;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.fs.SandboxedDirectory;
import dev.wagiservlet.engine.http.HttpTransport;
import dev.wagiservlet.threads.OwnedThreads;
import io.github.kawamuray.wasmtime.Config;
import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Linker;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.WasmtimeException;
import io.github.kawamuray.wasmtime.wasi.WasiCtx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The wasmtime engine: modules compiled to native code by wasmtime 7.0.1 (Cranelift), through
 * wasmtime-java 0.19.0. One wasmtime {@code Engine} per engine, with epoch interruption (see
 * {@link EpochTicker}); one {@code Linker} holding WASI, shared by every run; a fresh
 * {@code Store} per run. What differs from the Chicory engine is in docs/engines.md.
 */
public final class WasmtimeEngine implements WasmEngine {

    private static final System.Logger LOG = System.getLogger(WasmtimeEngine.class.getName());

    /** What a run's thread keeps of its stack beyond the wasm stack: for the JVM's own frames and guard zones. */
    private static final long HOST_STACK = 1L << 20;
    /** wasmtime 7 refuses a wasm stack larger than its async stack, which wasmtime-java leaves at its default. */
    private static final long MAX_WASM_STACK = 2L << 20;

    private final Engine engine;
    private final Linker wasi;
    private final EpochTicker ticker;
    private final Module stdioShim;
    private final Module stdioAdapter;
    /** Compiles modules with their own memory (see {@link OwnMemoryModules}), one at a time. */
    private final Executor background;
    private final OwnedThreads compileThread;
    /** Outbound HTTP for {@code wasi_experimental_http}; its clients are created on the first request. */
    private final HttpTransport http = new HttpTransport();
    /** Every module compiled, freed at {@link #close()}: wasmtime-java frees native objects only when told. */
    private final List<Module> compiled = new ArrayList<>();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;
    private final WasmtimeModule.Runs runs = new WasmtimeModule.Runs() {
        @Override
        public boolean begin() {
            active.incrementAndGet();
            if (closed) {
                active.decrementAndGet();
                return false;
            }
            return true;
        }

        @Override
        public void end() {
            active.decrementAndGet();
        }

        @Override
        public long ticks(Duration timeout) {
            return ticker.ticks(timeout);
        }
    };

    /**
     * @param codeCache where wasmtime keeps compiled modules across restarts (its own cache, in a
     *     {@code wasmtime} folder), or null for none
     * @param threadStackSize the stack of the threads modules will run on (see {@link #wasmStack})
     */
    WasmtimeEngine(Path codeCache, long threadStackSize) {
        this(codeCache, threadStackSize, null);
    }

    /**
     * @param background where modules with their own memory are compiled; null for a thread of the
     *     engine's own ({@code wagi-wasmtime-compile}), ended at {@link #close()}
     */
    WasmtimeEngine(Path codeCache, long threadStackSize, Executor background) {
        this.compileThread = background == null ? OwnedThreads.named("wagi-wasmtime-compile") : null;
        this.background = background == null ? compileExecutor(compileThread) : background;
        Config config = new Config().epochInterruption(true).maxWasmStack(wasmStack(threadStackSize)); // the engine takes it over
        if (codeCache != null) {
            cache(config, codeCache);
        }
        this.engine = new Engine(config);
        this.wasi = new Linker(engine);
        WasiCtx.addToLinker(wasi);
        this.stdioShim = new Module(engine, resource("stdio-shim.wasm"));
        this.stdioAdapter = new Module(engine, resource("stdio-adapter.wasm"));
        this.ticker = new EpochTicker(engine); // after the compile above: incrementEpoch waits for compiles
    }

    /** One compile at a time, on a thread that ends when idle for a minute (compiles come in bursts: after a deployment). */
    private static ExecutorService compileExecutor(OwnedThreads thread) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), thread);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /**
     * The wasm stack for modules run on threads of {@code threadStackSize}: wasmtime's code runs
     * on the thread's own stack, and one that outgrows the thread's stack crashes the JVM (measured:
     * SIGSEGV on a 1 MiB thread), so the wasm stack leaves the host {@link #HOST_STACK} (half of a
     * smaller stack) for the JVM's frames, the host calls' and the guard pages; and wasmtime 7
     * allows at most {@link #MAX_WASM_STACK}. 2 MiB on the default 32 MiB threads: four times
     * wasmtime's default (docs/limits.md has the depths).
     */
    static long wasmStack(long threadStackSize) {
        return Math.min(MAX_WASM_STACK, threadStackSize - Math.min(HOST_STACK, threadStackSize / 2));
    }

    /**
     * wasmtime's compile cache in {@code codeCache/wasmtime}, configured by a file written there
     * ({@code wasmtime-cache.toml}, wasmtime's cache configuration format). A cache that cannot be
     * set up is logged, and modules are compiled at every start.
     */
    private static void cache(Config config, Path codeCache) {
        try {
            Path directory = Files.createDirectories(codeCache.resolve("wasmtime")).toAbsolutePath();
            Path file = directory.resolve("wasmtime-cache.toml");
            String toml = "[cache]\nenabled = true\ndirectory = \"" + directory.resolve("cache").toString()
                    .replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n";
            if (!Files.exists(file) || !Files.readString(file).equals(toml)) {
                Files.writeString(file, toml);
            }
            config.cacheConfigLoad(file);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "wasmtime's compile cache in " + codeCache + " cannot be used; modules are compiled at every start", e);
        }
    }

    /** One of the compiled src/main/wat/wasmtime-stdio-*.wat. */
    private static byte[] resource(String file) {
        try (InputStream in = WasmtimeEngine.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the wagi-servlet jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CompiledModule compile(String name, byte[] wasm) throws ModuleLoadException {
        WasmBinary binary;
        try {
            binary = WasmBinary.read(wasm);
        } catch (IllegalArgumentException e) {
            throw new ModuleLoadException(name + " is not a valid WebAssembly module: " + e.getMessage(), e);
        }
        Module module;
        try {
            module = new Module(engine, binary.withImportedMemory());
        } catch (WasmtimeException e) {
            throw new ModuleLoadException(name + " is not a valid WebAssembly module: " + e.getMessage(), e);
        }
        synchronized (compiled) {
            compiled.add(module);
        }
        OwnMemoryModules own = OwnMemoryModules.eligible(binary) ? new OwnMemoryModules(name, binary, this::compileLater) : null;
        return new WasmtimeModule(name, binary, module, engine, wasi, new WasmtimeModule.Shims(stdioShim, stdioAdapter, own), runs,
                http);
    }

    /**
     * The module compiled on the engine's background thread (counted as a run, so that
     * {@link #close()} waits for it); a compile that fails is logged and completes the future
     * exceptionally.
     */
    private CompletableFuture<Module> compileLater(String name, Supplier<byte[]> wasm) {
        CompletableFuture<Module> result = new CompletableFuture<>();
        try {
            background.execute(() -> {
                if (!runs.begin()) {
                    result.completeExceptionally(new IllegalStateException("the engine is closed"));
                    return;
                }
                try {
                    long start = System.nanoTime();
                    Module module = new Module(engine, wasm.get());
                    synchronized (compiled) {
                        compiled.add(module);
                    }
                    LOG.log(Level.INFO, "Compiled {0} in {1} ms", name, Long.toString((System.nanoTime() - start) / 1_000_000));
                    result.complete(module);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Could not compile " + name + "; its runs keep the host-made memory", e);
                    result.completeExceptionally(e);
                } finally {
                    runs.end();
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** The same confined volume as Chicory's; a run pre-opens its host directory with read-only capabilities unless writable. */
    @Override
    public Path volume(Path directory, boolean writable) throws IOException {
        return SandboxedDirectory.of(directory, writable);
    }

    /**
     * Stops the runs still under way (the epoch is pushed past every deadline: they trap), waits
     * for them, then stops the epoch thread and frees the native engine and every compiled module.
     * Should a run still not have ended after {@link #CLOSE_WAIT_MILLIS}, nothing native is freed
     * (a leak rather than a crash) and that is logged.
     */
    @Override
    public void close() {
        closed = true;
        if (compileThread != null) { // a compile under way is counted as a run, and waited for below too
            compileThread.stop((ExecutorService) background, Duration.ofMillis(CLOSE_WAIT_MILLIS));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        if (active.get() > 0) {
            ticker.stopRuns();
        }
        while (active.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ticker.close();
        http.close();
        if (active.get() > 0) {
            LOG.log(Level.WARNING, "{0} wasmtime run(s) still under way {1} ms after the engine was closed: its native memory"
                    + " is left allocated", Integer.toString(active.get()), Long.toString(CLOSE_WAIT_MILLIS));
            return;
        }
        synchronized (compiled) {
            compiled.forEach(Module::dispose);
            compiled.clear();
        }
        stdioShim.dispose();
        stdioAdapter.dispose();
        wasi.dispose();
        engine.dispose();
    }

    private static final long CLOSE_WAIT_MILLIS = 5_000;
}
