package dev.wagiservlet.engine;

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

    /** Releases whatever the engine holds; compiled modules must not be run afterwards. */
    @Override
    default void close() {}
}
