package dev.wagiservlet.engine;

/**
 * Where a run books the heap its instance takes (linear memory, tables) before the engine
 * allocates it, so that many runs at once cannot take more of the heap than the host allows. An
 * engine asks before instantiating (the initial memory and tables) and before each
 * {@code memory.grow} or {@code table.grow}; a refusal makes the instantiation fail, or the grow
 * return -1 as it does at a module's own maximum.
 *
 * <p>Implementations must be safe to call from the run's thread; the host releases what a run
 * booked when the run has ended.
 */
public interface MemoryAccount {

    /** An account that never refuses: for runs the host does not budget. */
    MemoryAccount UNLIMITED = bytes -> true;

    /**
     * Books {@code bytes} more for this run.
     *
     * @return false if the budget has no room for them: the engine must not allocate them
     */
    boolean reserve(long bytes);
}
