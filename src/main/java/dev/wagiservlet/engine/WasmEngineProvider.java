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
     */
    record Options(boolean interpret, Optional<Path> codeCache) {}
}
