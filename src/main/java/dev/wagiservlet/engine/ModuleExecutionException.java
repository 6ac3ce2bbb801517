package dev.wagiservlet.engine;

/** A run of a module that did not end well; {@link #kind()} says how. */
public class ModuleExecutionException extends Exception {

    private static final long serialVersionUID = 1L;

    /** How a run failed. */
    public enum Kind {
        /** The module imports something the host does not provide, or cannot be instantiated. */
        LINK,
        /** The configured entrypoint is not an exported function without parameters and results. */
        MISSING_ENTRYPOINT,
        /** The module trapped: unreachable, out-of-bounds access, stack exhaustion, ... */
        TRAP,
        /** The module called {@code proc_exit} with a non-zero code. */
        EXIT,
        /** The run was interrupted (its thread was interrupted). */
        INTERRUPTED,
        /** The host's memory budget had no room for the instance's initial memory or tables. */
        MEMORY
    }

    private final Kind kind;
    private final int exitCode;

    public ModuleExecutionException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, 0);
    }

    public ModuleExecutionException(Kind kind, String message, Throwable cause, int exitCode) {
        super(message, cause);
        this.kind = kind;
        this.exitCode = exitCode;
    }

    public Kind kind() {
        return kind;
    }

    /** The exit code, for {@link Kind#EXIT}. */
    public int exitCode() {
        return exitCode;
    }
}
