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
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.WasiInvocation;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/** A parsed (and usually compiled) module; every run gets a fresh instance and WASI context. */
final class ChicoryModule implements CompiledModule {

    private final String name;
    private final WasmModule module;
    private final Function<Instance, Machine> machines;
    private final HttpTransport http;
    private final ExperimentalHttp.Linkage httpLinkage;
    private final MemoryPool memories = new MemoryPool();

    ChicoryModule(String name, WasmModule module, Function<Instance, Machine> machines, HttpTransport http) {
        this.name = name;
        this.module = module;
        this.machines = machines;
        this.http = http;
        this.httpLinkage = ExperimentalHttp.link(module);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hasEntrypoint(String function) {
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
        ExperimentalHttp outbound = httpLinkage.used() // per run: the responses the module holds open
                ? new ExperimentalHttp(http, invocation.http(), name, httpLinkage.memoryExported())
                : null;
        // With a logger given, the builder skips its per-call Class.forName("android.os.Build"),
        // a failed class lookup that cost more than running a small module.
        try (WasiPreview1 wasi = WasiPreview1.builder().withLogger(WASI_LOGGER).withOptions(options.build()).build()) {
            Instance instance = instantiate(wasi, outbound, invocation.maxMemory(), !invocation.directories().isEmpty());
            try {
                instance.export(invocation.entrypoint()).apply();
            } catch (WasiExitException e) {
                memories.giveBack(instance.memory()); // the run is over and no one else holds this memory
                throw e;
            }
            memories.giveBack(instance.memory()); // a run that trapped or was stopped keeps its memory out of the pool
        } catch (WasiExitException e) {
            if (e.exitCode() != 0) {
                throw new ModuleExecutionException(Kind.EXIT, name + " exited with code " + e.exitCode(), e, e.exitCode());
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

    /**
     * The module's own memory limits with the maximum lowered to the cap; memory.grow past it
     * fails, as it does at a module's own maximum.
     */
    private java.util.Optional<MemoryLimits> memoryLimits(long maxMemory) throws ModuleExecutionException {
        if (maxMemory <= 0 || module.memorySection().isEmpty() || module.memorySection().get().memoryCount() == 0) {
            return java.util.Optional.empty();
        }
        MemoryLimits declared = module.memorySection().get().getMemory(0).limits();
        int capPages = (int) Math.min(MemoryLimits.MAX_PAGES, maxMemory / WASM_PAGE_SIZE);
        if (declared.initialPages() > capPages) {
            throw new ModuleExecutionException(Kind.LINK, name + " needs " + declared.initialPages() * (long) WASM_PAGE_SIZE
                    + " bytes of memory to start, over the limit of " + maxMemory, null);
        }
        return java.util.Optional.of(new MemoryLimits(declared.initialPages(), Math.min(declared.maximumPages(), capPages)));
    }

    private static final int WASM_PAGE_SIZE = 65536;

    /** Chicory's logger for WASI calls; stateless, so one serves every run. */
    private static final com.dylibso.chicory.log.Logger WASI_LOGGER = new com.dylibso.chicory.log.SystemLogger();

    private Instance instantiate(WasiPreview1 wasi, ExperimentalHttp outbound, long maxMemory, boolean withVolumes)
            throws ModuleExecutionException {
        HostFunction[] wasiFunctions = wasi.toHostFunctions();
        ImportValues.Builder imports = ImportValues.builder()
                .addFunction(withVolumes ? ChicoryVolumes.guard(wasiFunctions) : wasiFunctions); // no volumes: nothing to guard
        if (outbound != null) {
            imports.addFunction(outbound.functions(httpLinkage.functions())); // only what the module imports
        }
        try {
            Instance.Builder builder = Instance.builder(module)
                    .withImportValues(imports.build())
                    .withMachineFactory(machines)
                    .withStart(false)
                    .withMemoryFactory(memories::take);
            memoryLimits(maxMemory).ifPresent(builder::withMemoryLimits);
            return builder.build();
        } catch (UnlinkableException | UninstantiableException e) {
            throw new ModuleExecutionException(Kind.LINK, name + " cannot be instantiated: " + e.getMessage(), e);
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "call stack exhausted";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
