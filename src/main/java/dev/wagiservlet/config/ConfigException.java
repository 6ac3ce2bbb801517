package dev.wagiservlet.config;

/**
 * Configuration that cannot be served. The message names the key and the file it came from, so a
 * failed deployment says exactly what to fix.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
