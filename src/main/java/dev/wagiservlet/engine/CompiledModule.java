package dev.wagiservlet.engine;

/** A module ready to run: each {@link #run} gets a fresh instance with its own memory. */
public interface CompiledModule {

    /** The name it was compiled under. */
    String name();

    /** Whether the module exports a function of that name that takes and returns nothing. */
    boolean hasEntrypoint(String function);

    /**
     * Instantiates the module with the invocation's WASI context and calls its entrypoint, on the
     * calling thread. Returns normally when the entrypoint returns or the module calls
     * {@code proc_exit(0)}.
     *
     * @throws ModuleExecutionException when the module cannot be linked, traps or exits non-zero
     */
    void run(WasiInvocation invocation) throws ModuleExecutionException;
}
