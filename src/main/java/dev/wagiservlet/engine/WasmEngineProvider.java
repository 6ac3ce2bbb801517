package dev.wagiservlet.engine;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Makes an engine: the seam through which the gateway finds engines ({@link java.util.ServiceLoader},
 * {@code META-INF/services/dev.wagiservlet.engine.WasmEngineProvider}) without naming any engine
 * class. An engine that cannot run on this platform says so when asked to create one.
 */
public interface WasmEngineProvider {

    /** The name configuration chooses it by, e.g. {@code chicory}. */
    String name();

    /**
     * A new engine; the caller closes it.
     *
     * @throws IllegalStateException if the engine cannot run here, with a message saying why
     */
    WasmEngine create(Options options);

    /**
     * What an engine is made with.
     *
     * @param interpret run modules in an interpreter rather than compiled, where the engine has both
     * @param codeCache a directory where compiled code may be kept across restarts
     * @param threadStackSize the stack, in bytes, of the threads the engine's modules will run on; 0
     *     when unknown (the callers' own threads). An engine whose code runs on the native stack
     *     sizes its wasm stack from it, or cannot run without it.
     */
    record Options(boolean interpret, Optional<Path> codeCache, long threadStackSize) {

        /** The stack of the threads modules run on unless the settings say otherwise. */
        public static final long DEFAULT_THREAD_STACK_SIZE = 32L << 20;

        /** Options for modules run on threads of the default stack size. */
        public Options(boolean interpret, Optional<Path> codeCache) {
            this(interpret, codeCache, DEFAULT_THREAD_STACK_SIZE);
        }
    }
}
