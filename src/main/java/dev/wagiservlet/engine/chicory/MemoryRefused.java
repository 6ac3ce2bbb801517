package dev.wagiservlet.engine.chicory;

/**
 * The run's {@link dev.wagiservlet.engine.MemoryAccount} had no room for what an instance needs to
 * start; thrown out of Chicory's instantiation and reported as {@code Kind.MEMORY}.
 */
final class MemoryRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MemoryRefused(String what) {
        super("the host's memory budget has no room for " + what, null, false, false);
    }
}
