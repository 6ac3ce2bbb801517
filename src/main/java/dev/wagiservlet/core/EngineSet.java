package dev.wagiservlet.core;

import dev.wagiservlet.cache.ModuleCache;
import dev.wagiservlet.config.EngineMode;
import dev.wagiservlet.config.RouteEngine;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.Engines;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.WasmEngineProvider;
import dev.wagiservlet.metrics.ModuleMetrics;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engines a gateway's routes run on, one per provider in use ({@code chicory}, {@code wasmtime}),
 * each with its own {@link ModuleCache}: made when the first route needs it, closed with the
 * gateway. An engine that cannot run here is remembered with its reason, so that every route asking
 * for it fails with that reason and {@code auto} falls back to Chicory.
 */
final class EngineSet implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EngineSet.class.getName());
    static final String CHICORY = "chicory";
    static final String WASMTIME = "wasmtime";

    private final ClassLoader loader;
    private final WasmEngineProvider.Options options;
    private final long maximumModules;
    private final ModuleMetrics metrics;
    private final EngineMode mode;
    private final Map<String, Loaded> engines = new LinkedHashMap<>();

    private record Loaded(WasmEngine engine, ModuleCache cache, RuntimeException failure) {}

    EngineSet(ClassLoader loader, EngineMode mode, WasmEngineProvider.Options options, long maximumModules, ModuleMetrics metrics) {
        this.loader = loader;
        this.mode = mode;
        this.options = options;
        this.maximumModules = maximumModules;
        this.metrics = metrics;
    }

    /** The engine routes get when they do not choose one. */
    RouteEngine routeDefault() {
        return mode.routeDefault();
    }

    /**
     * The engine of that name, made if it is the first use.
     *
     * @throws IllegalStateException if it cannot run here (and never will in this gateway), or IllegalArgumentException if
     *     there is no such engine
     */
    synchronized WasmEngine engine(String name) {
        return loaded(name).engine();
    }

    /** Whether the engine of that name runs here; an engine that does not is logged once, with why. */
    synchronized boolean available(String name) {
        try {
            loaded(name);
            return true;
        } catch (IllegalStateException | IllegalArgumentException e) {
            return false;
        }
    }

    private Loaded loaded(String name) {
        Loaded loaded = engines.get(name);
        if (loaded == null) {
            try {
                WasmEngine engine = Engines.create(loader, name, options);
                loaded = new Loaded(engine, new ModuleCache(engine, maximumModules, metrics), null);
            } catch (IllegalStateException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "The {0} engine cannot be used: {1}", name, e.getMessage());
                loaded = new Loaded(null, null, e);
            }
            engines.put(name, loaded);
        }
        if (loaded.failure() != null) {
            throw loaded.failure();
        }
        return loaded;
    }

    /** The compiled-module cache of that engine, which must have been made (by {@link #engine}). */
    synchronized ModuleCache cache(String name) {
        return loaded(name).cache();
    }

    /** The module compiled by that engine: see {@link ModuleCache#get}. */
    CompiledModule get(String engine, Path file) throws ModuleLoadException {
        return cache(engine).get(file);
    }

    /** Closes every cache, then every engine. */
    @Override
    public synchronized void close() {
        for (Loaded loaded : engines.values()) {
            if (loaded.cache() != null) {
                loaded.cache().close();
            }
        }
        for (Loaded loaded : engines.values()) {
            if (loaded.engine() != null) {
                loaded.engine().close();
            }
        }
        engines.clear();
    }
}
