package dev.wagiservlet.engine.wasmtime;

import dev.wagiservlet.engine.WasmBinary;
import io.github.kawamuray.wasmtime.Module;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A module compiled again with its memory left its own, maximum lowered to a cap: wasmtime then
 * initialises a run's memory copy-on-write from an image made at compile time, where a memory the
 * host makes (the import {@link WasmtimeModule} uses to cap memory per run) gets every data segment
 * copied at each instantiation (esbuild, 20 MB: 7.3 ms against 0.15 ms per instantiation, measured).
 * The maximum is part of the compiled module, so there is one per cap; each is compiled once, in
 * the background, when a run first asks for it, and runs use the imported memory until it is ready.
 */
final class OwnMemoryModules {

    /** At most this many caps per module: each is another compiled copy. */
    private static final int MOST = 4;

    /** Compiles off the caller's thread, making the bytes there too (a copy of the module: 20 MB for esbuild). */
    interface Compiler {
        CompletableFuture<Module> compileLater(String name, Supplier<byte[]> wasm);
    }

    private final String name;
    private final WasmBinary binary;
    private final Compiler compiler;
    private final Map<Long, CompletableFuture<Module>> byMaximum = new ConcurrentHashMap<>();

    OwnMemoryModules(String name, WasmBinary binary, Compiler compiler) {
        this.name = name;
        this.binary = binary;
        this.compiler = compiler;
    }

    /**
     * Whether a module can keep its own memory: one memory, 32-bit and not shared, exported (the
     * host finds it through the export once the instance exists).
     */
    static boolean eligible(WasmBinary binary) {
        return binary.memoryCount() == 1 && binary.memoryExport().isPresent()
                && binary.definedMemory().filter(m -> !m.is64() && !m.shared()).isPresent();
    }

    /** The module with this maximum, if it is compiled; otherwise asks for it (once) and says empty. */
    Optional<Module> get(long maximumPages) {
        CompletableFuture<Module> module = byMaximum.get(maximumPages);
        if (module == null) {
            if (byMaximum.size() >= MOST) {
                return Optional.empty();
            }
            module = byMaximum.computeIfAbsent(maximumPages, pages -> compiler.compileLater(
                    name + " (own memory, at most " + pages + " pages)", () -> binary.withMemoryMaximum(pages)));
        }
        return module.isDone() && !module.isCompletedExceptionally() ? Optional.of(module.join()) : Optional.empty();
    }
}
