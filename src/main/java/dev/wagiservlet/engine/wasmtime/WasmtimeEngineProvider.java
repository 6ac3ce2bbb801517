package dev.wagiservlet.engine.wasmtime;

import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.WasmEngineProvider;

/**
 * Provides the {@link WasmtimeEngine}, named {@code wasmtime}: native code (wasmtime 7.0.1 through
 * wasmtime-java 0.19.0), for platforms the wasmtime-java jar has a library for. Where it cannot
 * run (no jar, no native library for the platform, the library bound to another class loader),
 * {@link #create} says why with an {@link IllegalStateException}.
 */
public final class WasmtimeEngineProvider implements WasmEngineProvider {

    @Override
    public String name() {
        return "wasmtime";
    }

    /**
     * @throws IllegalStateException also when modules would run on threads of an unknown stack
     *     ({@code module_stack_size = 0}): wasmtime's code runs on the thread's own stack, and one
     *     it was not sized for would crash the JVM at the first deep recursion
     */
    @Override
    public WasmEngine create(Options options) {
        if (options.threadStackSize() <= 0) {
            throw new IllegalStateException("the wasmtime engine runs modules only on threads of a known stack size, and"
                    + " module_stack_size is 0 (the container's request threads); set module_stack_size to 1MiB or more");
        }
        try {
            NativeLibrary.load();
            return new WasmtimeEngine(options.codeCache().orElse(null), options.threadStackSize());
        } catch (LinkageError e) { // NoClassDefFoundError (no jar), UnsatisfiedLinkError (no or a foreign library)
            throw new IllegalStateException("the wasmtime engine cannot run here: " + e, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the wasmtime engine cannot run here: " + e.getMessage(), e);
        }
    }
}
