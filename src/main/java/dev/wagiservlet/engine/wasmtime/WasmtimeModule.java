package dev.wagiservlet.engine.wasmtime;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.MemoryCap;
import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.WasmBinary;
import dev.wagiservlet.engine.fs.SandboxedDirectory;
import dev.wagiservlet.engine.http.HttpTransport;
import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.Instance;
import io.github.kawamuray.wasmtime.Linker;
import io.github.kawamuray.wasmtime.Memory;
import io.github.kawamuray.wasmtime.MemoryType;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.Trap;
import io.github.kawamuray.wasmtime.WasmFunctionError;
import io.github.kawamuray.wasmtime.WasmtimeException;
import io.github.kawamuray.wasmtime.wasi.DirCaps;
import io.github.kawamuray.wasmtime.wasi.FileCaps;
import io.github.kawamuray.wasmtime.wasi.WasiCtx;
import io.github.kawamuray.wasmtime.wasi.WasiCtxBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A module compiled by wasmtime. Every run gets a fresh {@code Store} and instance; its imports
 * are given explicitly: WASI from the engine's linker, except {@code fd_read} and {@code fd_write},
 * which go through Java for descriptors 0-2 ({@link Stdio}: wasmtime-java's own stdio is files
 * only, and it truncates the stdin file, upstream issue #54), and the memory the host makes with the run's cap as maximum
 * (see {@link WasmBinary#withImportedMemory()}); and, for a module that imports them, the
 * {@code wasi_experimental_http} functions ({@link WasmtimeHttp}).
 */
final class WasmtimeModule implements CompiledModule {

    static final String WASI = "wasi_snapshot_preview1";
    private static final long MAX_PAGES = 65536;
    /** What the stdio shim gets for a module without memory: every read or write there is {@code EFAULT}. */
    private static final MemoryType NO_MEMORY = new MemoryType(0, 0, false);

    /** Read-only volumes: open, list and stat, read files; nothing that changes the directory or a file. */
    private static final Set<DirCaps> READ_DIR = EnumSet.of(DirCaps.OPEN, DirCaps.READDIR, DirCaps.READLINK,
            DirCaps.PATH_FILESTAT_GET, DirCaps.FILESTAT_GET);
    private static final Set<FileCaps> READ_FILE = EnumSet.of(FileCaps.READ, FileCaps.SEEK, FileCaps.TELL, FileCaps.FILESTAT_GET,
            FileCaps.ADVISE, FileCaps.POLL_READWRITE);

    private final String name;
    private final WasmBinary binary;
    private final Module module;
    private final Engine engine;
    private final Linker wasi;
    private final Shims shims;
    private final Runs runs;
    private final List<String> unresolvable;
    /** Outbound HTTP for modules that import {@code wasi_experimental_http} ({@link WasmtimeHttp}), else null. */
    private final HttpTransport http;

    /** The engine's bookkeeping of runs under way, so that it frees nothing a run still uses. */
    interface Runs {
        /** Counts a run in; false if the engine is closed. */
        boolean begin();

        void end();

        /** The store deadline, in epoch ticks, for a run with this timeout. */
        long ticks(Duration timeout);
    }

    /**
     * What a run links its stdio with: the stdio shim (src/main/wat/wasmtime-stdio-shim.wat) for a
     * host-made memory, the stdio adapter (wasmtime-stdio-adapter.wat) for the module's own memory.
     *
     * @param ownMemory the module compiled with its own memory, or null if it cannot be
     */
    record Shims(Module stdioShim, Module stdioAdapter, OwnMemoryModules ownMemory) {}

    WasmtimeModule(String name, WasmBinary binary, Module module, Engine engine, Linker wasi, Shims shims, Runs runs,
            HttpTransport http) {
        this.name = name;
        this.http = WasmtimeHttp.usedBy(binary) ? http : null;
        this.runs = runs;
        this.shims = shims;
        this.binary = binary;
        this.module = module;
        this.engine = engine;
        this.wasi = wasi;
        this.unresolvable = unresolvable(binary, wasi, engine);
    }

    /**
     * The imports no run can link: anything but WASI's functions and {@code wasi_experimental_http}'s (and the
     * memory this engine moved to an import).
     */
    private static List<String> unresolvable(WasmBinary binary, Linker wasi, Engine engine) {
        List<String> missing = new ArrayList<>();
        Store<Void> probe = new Store<>(null, engine);
        try {
            for (WasmBinary.Import imported : binary.imports()) {
                if (WasmtimeHttp.provides(imported)) {
                    continue;
                }
                if (imported.module().equals(WASI) && imported.kind() == 0) {
                    Optional<Extern> extern = wasi.get(probe, WASI, imported.name());
                    if (extern.isPresent()) {
                        extern.get().func().dispose();
                        continue;
                    }
                }
                missing.add(imported.qualified());
            }
        } finally {
            probe.dispose();
        }
        return List.copyOf(missing);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hasEntrypoint(String function) {
        return binary.exportsEntrypoint(function);
    }

    @Override
    public List<String> unresolvableImports() {
        return unresolvable;
    }

    @Override
    public void run(WasiInvocation invocation) throws ModuleExecutionException {
        if (!hasEntrypoint(invocation.entrypoint())) {
            throw new ModuleExecutionException(Kind.MISSING_ENTRYPOINT, name + " exports no function '"
                    + invocation.entrypoint() + "' without parameters and results", null);
        }
        if (!unresolvable.isEmpty()) {
            throw new ModuleExecutionException(Kind.LINK, name + " cannot be instantiated: the host does not provide "
                    + String.join(", ", unresolvable), null);
        }
        if (!runs.begin()) {
            throw new ModuleExecutionException(Kind.INTERRUPTED, name + " was not run: its engine is closed", null);
        }
        try {
            runCounted(invocation);
        } finally {
            runs.end();
        }
    }

    /**
     * One run in a fresh store. Without volumes, and once compiled (see {@link OwnMemoryModules}),
     * the module keeps its own memory and stdio goes through the adapter (no descriptor but 0-2
     * exists then); otherwise the host makes the memory and the stdio shim sends descriptors past 2
     * to WASI.
     */
    private void runCounted(WasiInvocation invocation) throws ModuleExecutionException {
        MemoryType memoryType = memoryType(invocation);
        Module own = memoryType != null && invocation.directories().isEmpty() && shims.ownMemory() != null
                ? shims.ownMemory().get(memoryType.maximum()).orElse(null) : null;
        WasiCtx context = context(invocation);
        Store<Void> store = new Store<>(null, engine, context);
        List<AutoCloseable> owned = new ArrayList<>();
        Stdio stdio = null;
        WasmtimeHttp outbound = null;
        try {
            store.setEpochDeadline(runs.ticks(invocation.timeout()));
            Memory memory = null;
            if (own == null) {
                memory = new Memory(store, memoryType == null ? NO_MEMORY : memoryType);
                owned.add(memory);
            }
            stdio = new Stdio(name, invocation, store, memory, memoryType == null ? 0 : memoryType.minimum());
            Func host = stdio.func();
            owned.add(host);
            Instance stdioInstance = own != null ? new Instance(store, shims.stdioAdapter(), List.of(Extern.fromFunc(host)))
                    : new Instance(store, shims.stdioShim(), List.of(wasiFunc(store, "fd_read", owned), wasiFunc(store, "fd_write", owned),
                            Extern.fromFunc(host), Extern.fromMemory(memory)));
            owned.add(stdioInstance);
            Func fdRead = stdioInstance.getFunc(store, "fd_read").orElseThrow();
            Func fdWrite = stdioInstance.getFunc(store, "fd_write").orElseThrow();
            owned.add(fdRead);
            owned.add(fdWrite);
            if (http != null) { // per run: the responses the module holds open, closed with the rest it owns
                outbound = new WasmtimeHttp(http, invocation, name, store, memory);
                owned.add(outbound);
            }
            List<Extern> imports = new ArrayList<>();
            for (WasmBinary.Import imported : binary.imports()) { // the module's own: WASI and HTTP functions (see unresolvable)
                imports.add(WasmtimeHttp.provides(imported) ? httpFunc(outbound, imported.name(), owned) : switch (imported.name()) {
                    case "fd_read" -> Extern.fromFunc(fdRead);
                    case "fd_write" -> Extern.fromFunc(fdWrite);
                    default -> wasiFunc(store, imported.name(), owned);
                });
            }
            if (own == null && memoryType != null) {
                imports.add(Extern.fromMemory(memory)); // the rewritten module imports its memory last
            }
            Instance instance;
            try {
                instance = new Instance(store, own != null ? own : module, imports);
            } catch (WasmtimeException e) {
                throw new ModuleExecutionException(Kind.LINK, name + " cannot be instantiated: " + e.getMessage(), e);
            }
            owned.add(instance);
            if (own != null) {
                Memory its = instance.getMemory(store, binary.memoryExport().orElseThrow()).orElseThrow();
                owned.add(its);
                stdio.memory(its);
            }
            Func entrypoint = instance.getFunc(store, invocation.entrypoint()).orElseThrow();
            owned.add(entrypoint);
            entrypoint.call(store);
        } catch (WasmFunctionError.I32ExitError e) {
            if (e.exitCode() != 0) {
                throw new ModuleExecutionException(Kind.EXIT, name + " exited with code " + e.exitCode(), e, e.exitCode());
            }
        } catch (WasmFunctionError.TrapError e) {
            if (stdio != null) {
                stdio.rethrowFailure(e);
            }
            if (outbound != null) {
                outbound.rethrowFailure(e);
            }
            if (e.trap() == Trap.INTERRUPT) {
                throw new ModuleExecutionException(Kind.INTERRUPTED, name + " was interrupted", e);
            }
            throw new ModuleExecutionException(Kind.TRAP, name + " trapped: " + e.trap(), e);
        } catch (WasmFunctionError | WasmtimeException e) {
            if (stdio != null) {
                stdio.rethrowFailure(e); // what a host function threw ends the run as itself
            }
            if (outbound != null) {
                outbound.rethrowFailure(e);
            }
            throw new ModuleExecutionException(Kind.TRAP, name + " trapped: " + e.getMessage(), e);
        } finally {
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception ignored) {
                    // disposing never fails in wasmtime-java; the store below frees the rest
                }
            }
            store.dispose();
        }
    }

    private static Extern httpFunc(WasmtimeHttp outbound, String function, List<AutoCloseable> owned) {
        Func func = outbound.func(function);
        owned.add(func);
        return Extern.fromFunc(func);
    }

    private Extern wasiFunc(Store<Void> store, String function, List<AutoCloseable> owned) {
        Func func = wasi.get(store, WASI, function).orElseThrow().func();
        owned.add(func);
        return Extern.fromFunc(func);
    }

    /**
     * The memory the run's instance gets: the module's own limits with the maximum lowered to the
     * cap, booked in the run's memory account; null if the module has no memory of its own.
     */
    private MemoryType memoryType(WasiInvocation invocation) throws ModuleExecutionException {
        Optional<WasmBinary.Limits> declared = binary.definedMemory();
        if (declared.isEmpty()) {
            return null;
        }
        long initial = declared.get().initial();
        long maximum = MemoryCap.maximumPages(name, initial, declared.get().maximum() < 0 ? MAX_PAGES : declared.get().maximum(),
                invocation.maxMemory());
        if (!invocation.memory().reserve(initial * WasmBinary.PAGE)) {
            throw new ModuleExecutionException(Kind.MEMORY, name + " cannot be instantiated: its initial memory of "
                    + initial * WasmBinary.PAGE + " bytes does not fit in the memory budget", null);
        }
        return new MemoryType(initial, maximum, false);
    }

    /** argv, the environment and the volumes; the standard streams are {@link Stdio}'s. */
    private WasiCtx context(WasiInvocation invocation) {
        WasiCtxBuilder builder = new WasiCtxBuilder().args(invocation.arguments());
        invocation.environment().forEach(builder::env);
        WasiCtx context = builder.build();
        int fd = 3;
        for (Map.Entry<String, Path> volume : invocation.directories().entrySet()) {
            Path host = SandboxedDirectory.isSandboxed(volume.getValue())
                    ? SandboxedDirectory.hostDirectory(volume.getValue()) : volume.getValue();
            boolean writable = SandboxedDirectory.isWritable(volume.getValue());
            context.insertDir(fd++, host, writable ? EnumSet.allOf(DirCaps.class) : READ_DIR,
                    writable ? EnumSet.allOf(FileCaps.class) : READ_FILE, Path.of(volume.getKey()));
        }
        return context;
    }
}
