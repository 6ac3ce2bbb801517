package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.compiler.internal.Compiler;
import com.dylibso.chicory.compiler.internal.CompilerResult;
import com.dylibso.chicory.compiler.internal.MachineFactory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.NameCustomSection;
import dev.wagiservlet.engine.InterpretedFunction;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compiles a module's functions to JVM bytecode, or loads them from the code cache, and knows which
 * functions Chicory left to its interpreter (their bytecode would pass the JVM's 64 KiB method
 * limit); each compile or load says so in one WARNING naming the module.
 *
 * <p>Why Chicory's internal API: its public {@code MachineFactoryCompiler} either prints each such
 * function on {@code System.err} ({@code InterpreterFallback.WARN}: no module name, not in the
 * container's log) or hides them ({@code SILENT}), and returns no list in either case. This class
 * does what {@code MachineFactoryCompiler.Builder.compile()} does in Chicory 1.7.5, with
 * {@code SILENT}, and keeps {@link CompilerResult#interpretedFunctions()}. It is the only user of
 * {@code com.dylibso.chicory.compiler.internal}. <b>On a Chicory upgrade</b>, check that
 * {@code Compiler.builder(..).withInterpreterFallback(..).withClassCollectorFactory(..).build().compile()},
 * {@code CompilerResult.interpretedFunctions()/collector()}, {@code ClassLoadingCollector}
 * ({@code put}, {@code putMainClass}, {@code classBytes}, {@code mainClassName}, {@code machineFactory})
 * and {@code new MachineFactory(module, factory)} still exist and mean the same (the unit tests
 * {@code BytecodeCompilerTest} check the behaviour), and whether {@code MachineFactoryCompiler} now
 * returns the interpreted functions itself, which would make this class unnecessary.
 */
final class BytecodeCompiler {

    private static final System.Logger LOG = System.getLogger(BytecodeCompiler.class.getName());

    /** How many interpreted functions the warning names; the rest are counted. */
    static final int NAMED_IN_LOG = 5;

    private final DirectoryCodeCache cache;

    /**
     * A module's machines and the functions among them that are interpreted.
     *
     * @param machines makes a machine for each instance of the module
     * @param interpreted the functions left to the interpreter, by index
     */
    record Compiled(Function<Instance, Machine> machines, List<InterpretedFunction> interpreted) {
        Compiled {
            interpreted = List.copyOf(interpreted);
        }
    }

    /** @param cache where compiled code is kept across restarts, or null for nowhere */
    BytecodeCompiler(DirectoryCodeCache cache) {
        this.cache = cache;
    }

    /**
     * The module's compiled code: from the cache when it holds a readable entry for the module's
     * digest, else compiled (and then stored in the cache). An entry that cannot be read or loaded is
     * logged and replaced; a cache that cannot be written is logged.
     *
     * @param name the module's name, for the log
     * @throws RuntimeException when Chicory cannot compile the module
     */
    Compiled compile(String name, WasmModule module) {
        String key = cache == null ? null : module.digest();
        Compiled compiled = key == null ? null : fromCache(name, module, key);
        if (compiled == null) {
            CompilerResult result = Compiler.builder(module)
                    .withInterpreterFallback(InterpreterFallback.SILENT)
                    .withClassCollectorFactory(ClassLoadingCollector::new)
                    .build()
                    .compile();
            ClassLoadingCollector collector = (ClassLoadingCollector) result.collector();
            compiled = new Compiled(new MachineFactory(module, collector.machineFactory()),
                    named(module, result.interpretedFunctions()));
            if (key != null) {
                store(name, key, new CodeArchive(collector.mainClassName(), collector.classBytes(), result.interpretedFunctions()));
            }
        }
        if (!compiled.interpreted().isEmpty()) {
            LOG.log(Level.WARNING, warning(name, compiled.interpreted()));
        }
        return compiled;
    }

    /**
     * The warning for a module with interpreted functions, e.g. {@code /srv/esbuild.wasm: Chicory
     * interprets 9 of its functions, too large for a JVM method, several times slower than compiled
     * code: 6666 (name), ... and 4 more; engine = "wasmtime" or "auto" runs this module natively
     * (see docs/engines.md)}.
     */
    static String warning(String name, List<InterpretedFunction> interpreted) {
        int count = interpreted.size();
        String listed = interpreted.stream().limit(NAMED_IN_LOG).map(InterpretedFunction::toString)
                .collect(Collectors.joining(", "));
        return name + ": Chicory interprets " + count + " of its functions"
                + ", too large for a JVM method, several times slower than compiled code: " + listed
                + (count > NAMED_IN_LOG ? " and " + (count - NAMED_IN_LOG) + " more" : "")
                + "; engine = \"wasmtime\" or \"auto\" runs this module natively (see docs/engines.md)";
    }

    private Compiled fromCache(String name, WasmModule module, String key) {
        try {
            byte[] entry = cache.get(key);
            if (entry == null) {
                return null;
            }
            CodeArchive archive = CodeArchive.fromJar(entry);
            ClassLoadingCollector collector = new ClassLoadingCollector();
            for (Map.Entry<String, byte[]> type : archive.classes().entrySet()) {
                if (!type.getKey().equals(archive.mainClass())) {
                    collector.put(type.getKey(), type.getValue());
                }
            }
            collector.putMainClass(archive.mainClass(), archive.classes().get(archive.mainClass()));
            return new Compiled(new MachineFactory(module, collector.machineFactory()), named(module, archive.interpreted()));
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "{0}: the compiled code in the code cache ({1}) cannot be used, compiling the module again: {2}",
                    name, cache.location(key), e.toString());
            return null;
        }
    }

    private void store(String name, String key, CodeArchive archive) {
        try {
            cache.put(key, archive.toJar());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "{0}: its compiled code cannot be kept in the code cache ({1}); it is compiled again at the"
                    + " next start: {2}", name, cache.location(key), e.toString());
        }
    }

    /** The indices, ascending, with their names from the module's name section when it has one. */
    private static List<InterpretedFunction> named(WasmModule module, Set<Integer> indices) {
        NameCustomSection names = module.nameSection();
        return indices.stream().sorted()
                .map(index -> new InterpretedFunction(index, names == null ? null : names.nameOfFunction(index)))
                .toList();
    }
}
