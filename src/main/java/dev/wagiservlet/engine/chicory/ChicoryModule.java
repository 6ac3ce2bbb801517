package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.UnlinkableException;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.InterpretedFunction;
import dev.wagiservlet.engine.MemoryCap;
import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.http.HttpTransport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A parsed (and usually compiled) module. Every run gets a fresh instance; the linear memory and
 * the WASI context it runs with are taken from earlier runs of the module when one ended normally,
 * cleared of everything that run left ({@link ResettableMemory}, {@link ReusableWasi}).
 */
final class ChicoryModule implements CompiledModule {

    private final String name;
    private final WasmModule module;
    private final Function<Instance, Machine> machines;
    private final List<InterpretedFunction> interpreted;
    private final HttpTransport http;
    private final ExperimentalHttp.Linkage httpLinkage;
    private final MemoryPool memories = new MemoryPool();
    private final Set<String> wasiImports;
    /** WASI contexts for the next runs without volumes: as many as {@link MemoryPool} keeps memories. */
    private final Spares<ReusableWasi> spareWasi = new Spares<>(16);
    private final Map<String, Boolean> entrypoints = new ConcurrentHashMap<>();
    /** The module's call graph, made with the module (off the request path); null if the module imports a table. */
    private final CallDepth callGraph;
    private final Map<String, OptionalLong> stackBounds = new ConcurrentHashMap<>();

    ChicoryModule(String name, WasmModule module, Function<Instance, Machine> machines, List<InterpretedFunction> interpreted,
            HttpTransport http) {
        this.name = name;
        this.module = module;
        this.callGraph = CallDepth.of(module);
        this.machines = machines;
        this.interpreted = List.copyOf(interpreted);
        this.http = http;
        this.httpLinkage = ExperimentalHttp.link(module);
        this.wasiImports = wasiImports(module);
    }

    /** The names of the functions the module imports from WASI. */
    private static Set<String> wasiImports(WasmModule module) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imported = module.importSection().getImport(i);
            if (imported.importType() == ExternalType.FUNCTION && imported.module().equals("wasi_snapshot_preview1")) {
                names.add(imported.name());
            }
        }
        return Set.copyOf(names);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<InterpretedFunction> interpretedFunctions() {
        return interpreted;
    }

    @Override
    public List<String> unresolvableImports() {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imported = module.importSection().getImport(i);
            boolean function = imported.importType() == ExternalType.FUNCTION;
            boolean provided = switch (imported.module()) {
                case "wasi_snapshot_preview1" -> function && ReusableWasi.PROVIDED.contains(imported.name());
                case ExperimentalHttp.MODULE -> function && ExperimentalHttp.FUNCTIONS.containsKey(imported.name());
                default -> false; // the host links nothing else: no env.*, no imported memory, table or global
            };
            if (!provided) {
                missing.add(imported.module() + "::" + imported.name());
            }
        }
        return List.copyOf(missing);
    }

    @Override
    public OptionalLong stackBound(String entrypoint) {
        return callGraph == null ? OptionalLong.empty() : stackBounds.computeIfAbsent(entrypoint, callGraph::bound);
    }

    @Override
    public boolean hasEntrypoint(String function) {
        return entrypoints.computeIfAbsent(function, this::exportsEntrypoint);
    }

    private boolean exportsEntrypoint(String function) {
        ExportSection exports = module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export export = exports.getExport(i);
            if (export.name().equals(function) && export.exportType() == ExternalType.FUNCTION) {
                FunctionType type = functionType(export.index());
                return type != null && type.params().isEmpty() && type.returns().isEmpty();
            }
        }
        return false;
    }

    private FunctionType functionType(int index) {
        int imported = module.importSection().count(ExternalType.FUNCTION);
        if (index < imported) {
            return null;
        }
        return module.functionSection().getFunctionType(index - imported, module.typeSection());
    }

    @Override
    public void run(WasiInvocation invocation) throws ModuleExecutionException {
        if (!hasEntrypoint(invocation.entrypoint())) {
            throw new ModuleExecutionException(Kind.MISSING_ENTRYPOINT, name + " exports no function '"
                    + invocation.entrypoint() + "' without parameters and results", null);
        }
        if (httpLinkage.problem() != null) {
            throw new ModuleExecutionException(Kind.LINK, name + " cannot be instantiated: " + httpLinkage.problem(), null);
        }
        ExperimentalHttp outbound = httpLinkage.used() // per run: the responses the module holds open
                ? new ExperimentalHttp(http, invocation.http(), name, httpLinkage.memoryExported())
                : null;
        try {
            int exitCode = invocation.directories().isEmpty()
                    ? runWithSpareWasi(invocation, outbound)
                    : runWithVolumes(invocation, outbound);
            if (exitCode != 0) {
                throw new ModuleExecutionException(Kind.EXIT, name + " exited with code " + exitCode, null, exitCode);
            }
        } catch (ChicoryInterruptedException e) {
            throw new ModuleExecutionException(Kind.INTERRUPTED, name + " was interrupted", e);
        } catch (ModuleExecutionException e) {
            throw e;
        } catch (ChicoryException | StackOverflowError | ArithmeticException | IndexOutOfBoundsException e) {
            throw new ModuleExecutionException(Kind.TRAP, name + " trapped: " + describe(e), e);
        } finally {
            if (outbound != null) {
                outbound.close(); // every response the module left open, also after a trap
            }
        }
    }

    /** The usual run: a WASI context lent by the module (see {@link ReusableWasi}). */
    private int runWithSpareWasi(WasiInvocation invocation, ExperimentalHttp outbound) throws ModuleExecutionException {
        ReusableWasi wasi = spareWasi.take();
        if (wasi == null) {
            wasi = new ReusableWasi(WASI_LOGGER, wasiImports);
        }
        wasi.begin(invocation.stdin(), invocation.stdout(), invocation.stderr(), invocation.arguments(), invocation.environment());
        boolean ended = false;
        try {
            int exitCode = call(instantiate(wasi.functions(), outbound, invocation), invocation.entrypoint());
            ended = true;
            return exitCode;
        } finally {
            if (wasi.end() && ended) { // like a memory: lent again only after a run that ended normally
                spareWasi.give(wasi);
            }
        }
    }

    /**
     * A run with pre-opened directories gets a WASI context of its own (its descriptor table holds
     * the files the module opens), with the file functions guarded by the sandbox.
     */
    private int runWithVolumes(WasiInvocation invocation, ExperimentalHttp outbound) throws ModuleExecutionException {
        WasiOptions.Builder options = WasiOptions.builder()
                .withStdin(invocation.stdin())
                .withStdout(invocation.stdout())
                .withStderr(invocation.stderr())
                .withArguments(invocation.arguments())
                .withThrowOnExit0(true); // proc_exit(0) then ends the run as a WasiExitException we treat as success
        invocation.environment().forEach(options::withEnvironment);
        for (Map.Entry<String, Path> volume : invocation.directories().entrySet()) { // confined: see ChicoryVolumes
            options.withDirectory(volume.getKey(), ChicoryVolumes.preopen(name, volume.getKey(), volume.getValue()));
        }
        try (WasiPreview1 wasi = WasiPreview1.builder().withLogger(WASI_LOGGER).withOptions(options.build()).build()) {
            return call(instantiate(ChicoryVolumes.guard(wasi.toHostFunctions()), outbound, invocation), invocation.entrypoint());
        }
    }

    /**
     * Calls the entrypoint. A run that ended normally (returned, or called {@code proc_exit}) gives
     * its memory back to the pool; one that trapped or was stopped throws, and does not.
     *
     * @return the exit code: the one given to {@code proc_exit}, or 0 if the entrypoint returned
     */
    private int call(Instance instance, String entrypoint) {
        int exitCode = 0;
        try {
            instance.export(entrypoint).apply();
        } catch (WasiExitException e) {
            exitCode = e.exitCode();
        }
        memories.giveBack(instance.memory());
        return exitCode;
    }

    /**
     * The module's own memory limits with the maximum lowered to the cap; memory.grow past it
     * fails, as it does at a module's own maximum.
     */
    private Optional<MemoryLimits> memoryLimits(long maxMemory) throws ModuleExecutionException {
        if (maxMemory <= 0 || module.memorySection().isEmpty() || module.memorySection().get().memoryCount() == 0) {
            return Optional.empty();
        }
        MemoryLimits declared = module.memorySection().get().getMemory(0).limits();
        long maximum = MemoryCap.maximumPages(name, declared.initialPages(), declared.maximumPages(), maxMemory);
        return Optional.of(new MemoryLimits(declared.initialPages(), (int) maximum));
    }

    /**
     * Chicory's logger for WASI calls; stateless, so one serves every run. (Given a logger, the WASI
     * builder also skips its Class.forName("android.os.Build"), a failed class lookup that cost
     * more than running a small module.)
     */
    private static final com.dylibso.chicory.log.Logger WASI_LOGGER = new com.dylibso.chicory.log.SystemLogger();

    private Instance instantiate(HostFunction[] wasiFunctions, ExperimentalHttp outbound, WasiInvocation invocation)
            throws ModuleExecutionException {
        ImportValues.Builder imports = ImportValues.builder().addFunction(wasiFunctions);
        if (outbound != null) {
            imports.addFunction(outbound.functions(httpLinkage.functions())); // only what the module imports
        }
        try {
            Instance.Builder builder = Instance.builder(module)
                    .withImportValues(imports.build())
                    .withMachineFactory(machines)
                    .withStart(false)
                    .withMemoryFactory(limits -> memories.take(limits, invocation.memory()))
                    .withTableFactory(BookedTable.factory(invocation.memory()));
            memoryLimits(invocation.maxMemory()).ifPresent(builder::withMemoryLimits);
            return builder.build();
        } catch (UnlinkableException | UninstantiableException e) {
            throw new ModuleExecutionException(Kind.LINK, name + " cannot be instantiated: " + e.getMessage(), e);
        } catch (MemoryRefused e) {
            throw new ModuleExecutionException(Kind.MEMORY, name + " cannot be instantiated: " + e.getMessage(), e);
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "call stack exhausted";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
