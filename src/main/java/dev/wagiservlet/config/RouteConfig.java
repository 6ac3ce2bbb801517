package dev.wagiservlet.config;

import dev.wagiservlet.routing.RoutePattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One configured WAGI route, whichever source it came from (web.xml, MicroProfile Config or
 * modules.toml): all three are read by {@link RouteReader} into this one model.
 *
 * @param route the route pattern
 * @param module the module: a file, webapp or class path resource, or an http(s) URL
 * @param sha256 the expected SHA-256 of the module's bytes (hex), checked for downloads
 * @param entrypoint the exported function to call, {@code _start} by default
 * @param argv the argv template ({@code ${SCRIPT_NAME}}, {@code ${ARGS}}), or empty for WAGI's default
 * @param volumes guest path to host directory, pre-opened for the module
 * @param environment variables added to the module's environment (CGI variables win)
 * @param methods the HTTP methods served; empty for all (405 for the others)
 * @param hosts the Host names served ({@code name} or {@code name:port}); empty for all
 * @param http what the module may reach over outbound HTTP
 * @param limits this route's own limits; the others come from the defaults
 * @param engine the engine the route chose (its {@code engine} key); empty: the global {@code engine} setting's
 * @param origin where this route was configured, for messages
 */
public record RouteConfig(
        RoutePattern route,
        Location module,
        Optional<String> sha256,
        String entrypoint,
        Optional<String> argv,
        Map<String, Volume> volumes,
        Map<String, String> environment,
        Set<String> methods,
        Set<String> hosts,
        OutboundHttp http,
        LimitOverrides limits,
        Optional<RouteEngine> engine,
        String origin) {

    /** WAGI's default entrypoint. */
    public static final String DEFAULT_ENTRYPOINT = "_start";

    public RouteConfig {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(entrypoint, "entrypoint");
        Objects.requireNonNull(argv, "argv");
        volumes = Map.copyOf(volumes);
        environment = Map.copyOf(environment);
        methods = Set.copyOf(methods);
        hosts = Set.copyOf(hosts);
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(origin, "origin");
    }

    /** A route with only a pattern and a module, everything else at its default. */
    public static RouteConfig of(RoutePattern route, Location module, String origin) {
        return new RouteConfig(route, module, Optional.empty(), DEFAULT_ENTRYPOINT, Optional.empty(), Map.of(), Map.of(),
                Set.of(), Set.of(), OutboundHttp.NONE, LimitOverrides.NONE, Optional.empty(), origin);
    }

    /** The same route at another pattern with another entrypoint (a sub-route declared by {@code _routes}). */
    public RouteConfig subRoute(RoutePattern pattern, String entrypoint) {
        return new RouteConfig(pattern, module, sha256, entrypoint, argv, volumes, environment, methods, hosts, http, limits, engine,
                origin + ", _routes entry '" + pattern + " " + entrypoint + "'");
    }

    /** A host directory pre-opened for the module, read-only unless writable. */
    public record Volume(Location host, boolean writable) {
        public Volume {
            Objects.requireNonNull(host, "host");
        }
    }

    /**
     * Outbound HTTP for the module ({@code wasi_experimental_http}).
     *
     * @param allowedHosts the allow-list (wagi's {@code allowed_hosts}); empty denies all
     * @param maxConcurrency open responses per request (wagi's {@code http_max_concurrency})
     * @param timeout the request timeout, if not the default
     */
    public record OutboundHttp(List<String> allowedHosts, OptionalInt maxConcurrency, Optional<Duration> timeout) {
        /** No outbound requests. */
        public static final OutboundHttp NONE = new OutboundHttp(List.of(), OptionalInt.empty(), Optional.empty());

        public OutboundHttp {
            allowedHosts = List.copyOf(allowedHosts);
            Objects.requireNonNull(maxConcurrency, "maxConcurrency");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** This route's limits: its own, and the defaults for the rest. */
    public Limits limits(Limits defaults) {
        return limits.over(defaults);
    }

    @Override
    public String toString() {
        return route + " -> " + module + " (" + origin + ")";
    }
}
