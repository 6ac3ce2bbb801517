package dev.wagiservlet.engine;

/**
 * A function of a module that its engine runs in an interpreter rather than as compiled code (on
 * Chicory: a function whose JVM bytecode would pass the JVM's 64 KiB method limit). Such a
 * function runs several times slower, so deployments say which ones there are.
 *
 * @param index the function's index in the module (imported functions count first)
 * @param name its name from the module's name section, or null when the module has none for it
 */
public record InterpretedFunction(int index, String name) {

    public InterpretedFunction {
        if (index < 0) {
            throw new IllegalArgumentException("function index " + index);
        }
    }

    /** {@code 2 (mix)}, or {@code 2} without a name. */
    @Override
    public String toString() {
        return name == null ? Integer.toString(index) : index + " (" + name + ")";
    }
}
