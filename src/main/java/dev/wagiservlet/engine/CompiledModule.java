package dev.wagiservlet.engine;

import java.util.List;
import java.util.OptionalLong;

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
     * An upper bound, in bytes, on the calling thread's stack a run of {@code entrypoint} takes,
     * when the engine can tell (the module cannot recurse from there); empty when it cannot, or
     * when the run needs a thread of the stack size the engine was made for
     * ({@link WasmEngineProvider.Options#threadStackSize()}). The host runs a module with a small
     * bound on the request's own thread, and any other on a thread of a known stack size.
     */
    default OptionalLong stackBound(String entrypoint) {
        return OptionalLong.empty();
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
