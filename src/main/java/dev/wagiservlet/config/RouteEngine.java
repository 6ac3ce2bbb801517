package dev.wagiservlet.config;

import java.util.Locale;

/** A route's {@code engine} key: which engine runs its module. See docs/engines.md. */
public enum RouteEngine {
    /** Chicory (pure Java), compiled or interpreted as the global {@code engine} setting says. */
    CHICORY,
    /** wasmtime (native code); the deployment fails where it cannot run, or for what it cannot do. */
    WASMTIME,
    /** wasmtime for the modules that gain from it, where it can run them; Chicory otherwise. */
    AUTO;

    static RouteEngine parse(Setting setting) {
        try {
            return valueOf(setting.value().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw setting.error("'" + setting.value() + "' is not an engine; use 'chicory', 'wasmtime' or 'auto'");
        }
    }

    /** The name configuration writes it with. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
