package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.InterpretedFunction;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.fs.SandboxedDirectory;
import dev.wagiservlet.engine.http.HttpTransport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The Chicory engine: pure Java, no native code. By default each module's functions are compiled
 * to JVM bytecode once (functions too large for the JVM are interpreted, and logged: see
 * {@link BytecodeCompiler}); the interpreter alone can be chosen instead, at the cost of speed.
 *
 * <p>Modules may import the {@code wasi_experimental_http} host functions (outbound HTTP, see
 * {@link ExperimentalHttp}); the engine's JDK HTTP client is shared by all of its modules.
 */
public final class ChicoryEngine implements WasmEngine {

    private static final System.Logger LOG = System.getLogger(ChicoryEngine.class.getName());

    private final boolean compile;
    private final BytecodeCompiler compiler;

    /** Outbound HTTP for {@code wasi_experimental_http}; its clients are created on the first request. */
    private final HttpTransport http = new HttpTransport();

    /**
     * @param compile compile modules to bytecode (true) or interpret them (false)
     */
    public ChicoryEngine(boolean compile) {
        this(compile, null);
    }

    /**
     * @param compile compile modules to bytecode (true) or interpret them (false)
     * @param codeCache a directory where compiled code is kept across restarts, or null for none
     */
    public ChicoryEngine(boolean compile, Path codeCache) {
        this.compile = compile;
        this.compiler = new BytecodeCompiler(codeCache == null ? null : new DirectoryCodeCache(codeCache));
    }

    @Override
    public CompiledModule compile(String name, byte[] wasm) throws ModuleLoadException {
        WasmModule module;
        try {
            module = Parser.parse(wasm);
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ModuleLoadException(LoadFailure.explain(name, wasm, e.getMessage()), e);
        }
        Function<Instance, Machine> machines = InterpreterMachine::new;
        List<InterpretedFunction> interpreted = List.of();
        if (compile) {
            try {
                BytecodeCompiler.Compiled compiled = compiler.compile(name, module);
                machines = compiled.machines();
                interpreted = compiled.interpreted();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Compiling " + name + " to bytecode failed; it will be interpreted", e);
            }
        }
        return new ChicoryModule(name, module, machines, interpreted, http);
    }

    /** Confined by the project's sandbox file system ({@link SandboxedDirectory}), which Chicory's WASI reads through. */
    @Override
    public Path volume(Path directory, boolean writable) throws IOException {
        return SandboxedDirectory.of(directory, writable);
    }

    /** Stops the outbound HTTP client threads; compiled modules must not be run afterwards. */
    @Override
    public void close() {
        http.close();
    }
}
