package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
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
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.WasiInvocation;
import java.util.function.Function;

/** A parsed (and usually compiled) module; every run gets a fresh instance and WASI context. */
final class ChicoryModule implements CompiledModule {

    private final String name;
    private final WasmModule module;
    private final Function<Instance, Machine> machines;

    ChicoryModule(String name, WasmModule module, Function<Instance, Machine> machines) {
        this.name = name;
        this.module = module;
        this.machines = machines;
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
        WasiOptions.Builder options = WasiOptions.builder()
                .withStdin(invocation.stdin())
                .withStdout(invocation.stdout())
                .withStderr(invocation.stderr())
                .withArguments(invocation.arguments())
                .withThrowOnExit0(true); // proc_exit(0) then ends the run as a WasiExitException we treat as success
        invocation.environment().forEach(options::withEnvironment);
        invocation.directories().forEach(options::withDirectory);
        try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(options.build()).build()) {
            Instance instance = instantiate(wasi);
            instance.export(invocation.entrypoint()).apply();
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
        }
    }

    private Instance instantiate(WasiPreview1 wasi) throws ModuleExecutionException {
        try {
            return Instance.builder(module)
                    .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions()).build())
                    .withMachineFactory(machines)
                    .withStart(false)
                    .build();
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
