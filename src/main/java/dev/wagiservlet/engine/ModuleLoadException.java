package dev.wagiservlet.engine;

/** The bytes of a module cannot be parsed, validated or compiled. */
public class ModuleLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModuleLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
