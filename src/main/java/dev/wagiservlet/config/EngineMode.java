package dev.wagiservlet.config;

import java.util.Locale;

/** How modules are executed: compiled to JVM bytecode (the default), or interpreted. */
public enum EngineMode {
    COMPILER,
    INTERPRETER;

    static EngineMode parse(Setting setting) {
        try {
            return valueOf(setting.value().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw setting.error("'" + setting.value() + "' is not an engine mode; use 'compiler' or 'interpreter'");
        }
    }
}
