package dev.wagiservlet.engine;

import java.util.List;

/** A module ready to run: each {@link #run} gets a fresh instance with its own memory. */
public interface CompiledModule {

    /** The name it was compiled under. */
    String name();

    /** Whether the module exports a function of that name that takes and returns nothing. */
    boolean hasEntrypoint(String function);

    /**
     * The module's imports that the host cannot provide, each as {@code module::name} (e.g.
     * {@code spin-config::get-config}): such a module compiles, but every run fails to link, so
     * whoever mounts it should say so at deployment. Empty when every import links, or when the
     * engine cannot tell.
     */
    default List<String> unresolvableImports() {
        return List.of();
    }

    /**
     * The functions the engine runs in an interpreter instead of compiled code, by index: they run
     * several times slower, so whoever mounts the module should say so. Empty when every function is
     * compiled, and on engines that interpret no single function (wasmtime; Chicory in interpreter
     * mode, where the whole module is interpreted by choice).
     */
    default List<InterpretedFunction> interpretedFunctions() {
        return List.of();
    }

    /**
     * Instantiates the module with the invocation's WASI context and calls its entrypoint, on the
     * calling thread. Returns normally when the entrypoint returns or the module calls
     * {@code proc_exit(0)}.
     *
     * @throws ModuleExecutionException when the module cannot be linked, traps or exits non-zero
     */
    void run(WasiInvocation invocation) throws ModuleExecutionException;
}
