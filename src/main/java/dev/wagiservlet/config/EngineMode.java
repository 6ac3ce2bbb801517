package dev.wagiservlet.config;

import java.util.Locale;

/**
 * The global {@code engine} setting: which engine runs the routes that do not choose one
 * themselves (a route's own {@code engine} key, {@link RouteEngine}), and how Chicory runs its
 * modules. See docs/engines.md.
 */
public enum EngineMode {
    /** Chicory, modules compiled to JVM bytecode (the default). */
    COMPILER,
    /** Chicory, modules interpreted. */
    INTERPRETER,
    /** wasmtime (native code), through wasmtime-java. */
    WASMTIME,
    /** Per module: {@link RouteEngine#AUTO}'s rule. */
    AUTO;

    static EngineMode parse(Setting setting) {
        try {
            return valueOf(setting.value().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw setting.error("'" + setting.value() + "' is not an engine mode; use 'compiler', 'interpreter', 'wasmtime' or 'auto'");
        }
    }

    /** Whether Chicory, where it runs a module, interprets it. */
    public boolean chicoryInterprets() {
        return this == INTERPRETER;
    }

    /** The engine a route gets when it does not choose one. */
    public RouteEngine routeDefault() {
        return switch (this) {
            case COMPILER, INTERPRETER -> RouteEngine.CHICORY;
            case WASMTIME -> RouteEngine.WASMTIME;
            case AUTO -> RouteEngine.AUTO;
        };
    }
}
