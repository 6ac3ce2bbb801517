package dev.wagiservlet.engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Compiles WebAssembly modules so they can be run many times. Implementations must let one
 * compiled module be run by many threads at once, each run in a fresh instance.
 */
public interface WasmEngine extends AutoCloseable {

    /**
     * Parses, validates and prepares a module.
     *
     * @param name a name for messages (usually the file)
     * @param wasm the module's bytes
     * @throws ModuleLoadException if the bytes are not a usable module
     */
    CompiledModule compile(String name, byte[] wasm) throws ModuleLoadException;

    /**
     * A host directory as this engine's runs may see it, confined: no path a module names (with
     * {@code ..}, absolute, through a symbolic link) leads out of it, and a read-only one refuses
     * every write. Pass the result in {@link WasiInvocation#directories()}.
     *
     * @throws IOException if the directory cannot be used
     * @throws UnsupportedOperationException if the engine cannot pre-open directories
     */
    default Path volume(Path directory, boolean writable) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot pre-open directories");
    }

    /** Releases whatever the engine holds; compiled modules must not be run afterwards. */
    @Override
    default void close() {}
}
