package dev.wagiservlet.engine;

import dev.wagiservlet.engine.ModuleExecutionException.Kind;

/**
 * The memory cap ({@link WasiInvocation#maxMemory()}) as every engine applies it to a module's own
 * memory limits: the maximum is lowered to the cap, so {@code memory.grow} past it fails as at the
 * module's own maximum, and a module that needs more than the cap to start cannot be instantiated.
 */
public final class MemoryCap {

    /** A WebAssembly page, in bytes. */
    public static final long PAGE = 65536;

    private MemoryCap() {}

    /**
     * The pages an instance may grow to.
     *
     * @param module the module's name, for the message
     * @param maxMemory the cap in bytes; 0 for none
     * @throws ModuleExecutionException ({@link Kind#LINK}) if the initial pages are over the cap
     */
    public static long maximumPages(String module, long initialPages, long maximumPages, long maxMemory)
            throws ModuleExecutionException {
        if (maxMemory <= 0) {
            return maximumPages;
        }
        long cap = maxMemory / PAGE;
        if (initialPages > cap) {
            throw new ModuleExecutionException(Kind.LINK, module + " needs " + initialPages * PAGE
                    + " bytes of memory to start, over the limit of " + maxMemory, null);
        }
        return Math.min(maximumPages, cap);
    }
}
