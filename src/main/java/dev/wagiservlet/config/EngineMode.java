package dev.wagiservlet.config;

import java.util.Locale;

/** How modules are executed: compiled to JVM bytecode (the default), or interpreted. */
public enum EngineMode {
    COMPILER,
    INTERPRETER;

    static EngineMode parse(String text, String where) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": '" + text + "' is not an engine mode; use 'compiler' or 'interpreter'");
        }
    }
}
