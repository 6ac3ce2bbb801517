package dev.wagiservlet.core;

import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.DemoRoutes;
import dev.wagiservlet.config.Location;
import dev.wagiservlet.config.ModulesToml;
import dev.wagiservlet.config.RouteConfig;
import dev.wagiservlet.config.RouteEngine;
import dev.wagiservlet.config.RouteReader;
import dev.wagiservlet.config.Setting;
import dev.wagiservlet.config.WagiSettings;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.http.AllowedHosts;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import dev.wagiservlet.routing.RouteTable;
import dev.wagiservlet.routing.SubRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds the routes to serve ({@link RouteSet.Mount}) from settings: reads the modules.toml, finds every module and volume,
 * compiles every module (so a broken one fails the deployment, not a request), and adds the routes
 * that modules declare through {@code _routes} (run bounded: see {@link UnderscoreRoutes}).
 */
final class RouteMounter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RouteMounter.class.getName());

    private final ModuleFiles files;
    private final EngineSet engines;
    private final UnderscoreRoutes underscoreRoutes;

    RouteMounter(ModuleFiles files, EngineSet engines, ModuleThreads threads) {
        this.files = files;
        this.engines = engines;
        this.underscoreRoutes = new UnderscoreRoutes(threads);
    }

    /** Stops the thread that times {@code _routes} runs. */
    @Override
    public void close() {
        underscoreRoutes.close();
    }

    /** The modules.toml's file, if settings name one. */
    Optional<Path> modulesTomlFile(WagiSettings settings) {
        return settings.modulesToml().map(setting -> files.file(tomlLocation(setting), Optional.empty(), setting.where()));
    }

    /**
     * @throws ConfigException naming the key and file of the first thing that is wrong
     */
    RouteSet.Mount mount(WagiSettings settings) {
        List<RouteConfig> configured = new ArrayList<>(settings.routes());
        settings.modulesToml().ifPresent(setting -> configured.addAll(readToml(setting)));
        configured.addAll(DemoRoutes.notReplaced(settings.demoRoutes(), configured, line -> LOG.log(Level.INFO, line)));
        List<RouteTable.Entry<MountedRoute>> entries = new ArrayList<>();
        for (RouteConfig route : configured) {
            MountedRoute mounted = mountOne(route, settings);
            if (compilesInBackground(mounted, settings)) {
                entries.add(new RouteTable.Entry<>(route.route(), route.hosts(), mounted));
                continue;
            }
            CompiledModule module = compile(mounted);
            if (module.hasEntrypoint("_routes")) {
                List<SubRoutes.SubRoute> subs = underscoreRoutes.declared(route, mounted.limits(), module);
                for (SubRoutes.SubRoute sub : subs) {
                    RouteConfig subConfig = route.subRoute(sub.pattern(), sub.entrypoint());
                    entries.add(new RouteTable.Entry<>(sub.pattern(), route.hosts(),
                            new MountedRoute(subConfig, mounted.moduleFile(), mounted.volumes(), mounted.limits(),
                                    mounted.http().forRoute(sub.pattern().text()), mounted.engine())));
                    LOG.log(Level.INFO, "Route {0} -> {1}, entrypoint {2} (declared by _routes)", sub.pattern(),
                            mounted.moduleFile(), sub.entrypoint());
                }
                if (subs.stream().anyMatch(sub -> sub.pattern().equals(route.route()))) {
                    continue; // a module's own declaration of its route wins over the mount
                }
            }
            if (!module.hasEntrypoint(route.entrypoint())) {
                LOG.log(Level.WARNING, "Route {0}: {1} exports no function ''{2}''; requests to it will fail with 500",
                        route.route(), mounted.moduleFile(), route.entrypoint());
            }
            if (!module.unresolvableImports().isEmpty()) { // the engine knows what it links
                LOG.log(Level.WARNING, "Route {0}: {1} imports {2}, which the host does not provide; requests to it will fail with 500",
                        route.route(), mounted.moduleFile(), String.join(", ", module.unresolvableImports()));
            }
            entries.add(new RouteTable.Entry<>(route.route(), route.hosts(), mounted));
        }
        try {
            RouteTable.of(entries); // no route twice
            return new RouteSet.Mount(entries, settings.healthRoute(), settings.environment(), settings.routeShare());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private List<RouteConfig> readToml(Setting setting) {
        Location location = tomlLocation(setting);
        Path file = files.file(location, Optional.empty(), setting.where());
        try (InputStream in = Files.newInputStream(file)) {
            return ModulesToml.read(location, in);
        } catch (IOException e) {
            throw setting.error("cannot read " + file + ": " + e);
        }
    }

    private static Location tomlLocation(Setting setting) {
        Location location = RouteReader.location(setting, Location.WEBAPP_ROOT);
        if (location instanceof Location.OciImage) {
            throw setting.error("a modules.toml cannot come from an OCI registry, only modules can: " + location);
        }
        return location;
    }

    private MountedRoute mountOne(RouteConfig route, WagiSettings settings) {
        Path module = files.file(route.module(), route.sha256(), route.origin() + ", key 'module'");
        String engineName = engineFor(route, module);
        WasmEngine engine = engines.engine(engineName);
        Map<String, Path> volumes = new LinkedHashMap<>();
        route.volumes().forEach((guest, volume) -> {
            String where = route.origin() + ", key 'volumes." + guest + "'";
            try {
                volumes.put(guest, engine.volume(files.directory(volume.host(), where), volume.writable()));
            } catch (IOException e) {
                throw new ConfigException(where + ": " + e.getMessage(), e);
            }
        });
        try {
            AllowedHosts.validate(route.http().allowedHosts());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(route.origin() + ", key 'allowed_hosts': " + e.getMessage(), e);
        }
        return new MountedRoute(route, module, volumes, route.limits(settings.limits()), httpPolicy(route), engineName);
    }

    /**
     * The engine for the route: its own {@code engine} key, or the global setting's. wasmtime asked
     * for where it cannot run fails the deployment, naming the route and the key; {@code auto}
     * chooses by {@link AutoEngine}'s rule.
     */
    private String engineFor(RouteConfig route, Path module) {
        RouteEngine wanted = route.engine().orElse(engines.routeDefault());
        String key = route.engine().isPresent() ? route.origin() + ", key 'engine'" : route.origin() + " (the 'engine' setting)";
        return switch (wanted) {
            case CHICORY -> EngineSet.CHICORY;
            case WASMTIME -> {
                try {
                    engines.engine(EngineSet.WASMTIME);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    throw new ConfigException(key + ": engine 'wasmtime': " + e.getMessage()
                            + "; use engine = \"chicory\" or \"auto\" for this route", e);
                }
                yield EngineSet.WASMTIME;
            }
            case AUTO -> {
                try {
                    AutoEngine.Choice choice = AutoEngine.choose(module, engines.available(EngineSet.WASMTIME));
                    LOG.log(Level.INFO, "Route {0}: engine auto chose {1}: {2}", route.route(), choice.engine(), choice.reason());
                    yield choice.engine();
                } catch (IOException e) {
                    throw new ConfigException(route.origin() + ", key 'module': cannot read " + module + ": " + e, e);
                }
            }
        };
    }

    /** What the route's module may reach over outbound HTTP, named after the route for log lines. */
    private static OutboundHttpPolicy httpPolicy(RouteConfig route) {
        OutboundHttpPolicy defaults = OutboundHttpPolicy.DENY_ALL;
        return new OutboundHttpPolicy(route.http().allowedHosts(), route.http().maxConcurrency(), defaults.connectTimeout(),
                route.http().timeout().orElse(defaults.requestTimeout()), route.route().text());
    }

    private CompiledModule compile(MountedRoute route) {
        long start = System.nanoTime();
        try {
            CompiledModule module = engines.get(route.engine(), route.moduleFile());
            LOG.log(Level.INFO, "Route {0} -> {1} ({2} bytes), ready on {3} in {4} ms", route.route(), route.moduleFile(),
                    Long.toString(Files.size(route.moduleFile())), route.engine(),
                    Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
            return module;
        } catch (ModuleLoadException | IOException e) {
            throw new ConfigException(route.config().origin() + ", key 'module': " + e.getMessage(), e);
        }
    }

    /**
     * A module at least {@code background-compile-size} large is compiled on the cache's threads
     * while the other routes serve: requests to its route wait for the compile, a failed compile
     * answers 500 (and is logged) until the file changes, and its {@code _routes} is not consulted.
     */
    private boolean compilesInBackground(MountedRoute route, WagiSettings settings) {
        long size;
        try {
            size = Files.size(route.moduleFile());
        } catch (IOException e) {
            throw new ConfigException(route.config().origin() + ", key 'module': " + e, e);
        }
        if (settings.backgroundCompileSize() <= 0 || size < settings.backgroundCompileSize()) {
            return false;
        }
        try {
            engines.cache(route.engine()).prefetch(route.moduleFile());
        } catch (ModuleLoadException e) {
            throw new ConfigException(route.config().origin() + ", key 'module': " + e.getMessage(), e);
        }
        LOG.log(Level.INFO, "Route {0} -> {1} ({2} bytes), compiling in the background (its _routes is not consulted)",
                route.route(), route.moduleFile(), Long.toString(size));
        return true;
    }
}
