package dev.wagiservlet.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one registry of configuration keys: each key's name, where it may be set, its default and
 * one line of documentation. The readers take their known keys and their unknown-key messages
 * from here, MicroProfile's environment-variable names are made from it, and the tables of
 * docs/configuration.md are its {@link #table} (a test holds them together), so a key is added
 * in one place.
 */
public final class Keys {

    /** Where a key may be set. */
    public enum Scope {
        /** A setting of the filter: web.xml {@code KEY}, {@code wagi.KEY}, {@code WAGI_KEY}. */
        SETTING,
        /** A key of one route: web.xml {@code routes.NAME.KEY}, a modules.toml {@code [[module]]}'s {@code KEY}. */
        ROUTE,
        /** A limit: a setting for every route, and a route key for one. */
        LIMIT
    }

    /**
     * One key.
     *
     * @param name the canonical name ({@code max_body_size}); {@code volumes.GUEST}-style names stand for a family
     * @param scope where it may be set
     * @param defaultValue its default, as the docs say it
     * @param doc what it is, in one line of Markdown
     */
    public record Key(String name, Scope scope, String defaultValue, String doc) {

        /** Whether the name stands for a family of keys ({@code environment.NAME}). */
        public boolean isFamily() {
            return name.contains(".");
        }

        /** The name as web.xml and MicroProfile Config write it: {@code max-body-size}. */
        public String dashed() {
            return isFamily() ? name : name.replace('_', '-');
        }
    }

    /** Every key, in the order the docs list them. */
    public static final List<Key> ALL = List.of(
            route("route", "`/hello` (exact) or `/static/...` (prefix: `/static`, `/static/` and below). Required."),
            route("module", "the module. Required. A path (relative: to the modules.toml's folder, or in web.xml to the webapp"
                    + " root), an absolute path, a `file:` URL, a webapp resource `/WEB-INF/...`, a class path resource"
                    + " `classpath:wasm/x.wasm`, an `http:`/`https:` URL, or a module in an OCI registry:"
                    + " `oci:registry[:port]/name:tag`, `oci://registry[:port]/name:tag`, with or without `@sha256:DIGEST`"
                    + " ([oci.md](oci.md)). `bindle:` is refused: Bindle is retired."),
            route("sha256", "the SHA-256 (hex) the module must have; checked for downloads and `oci:` pulls, and a module already"
                    + " downloaded with this hash is used without any download"),
            route("entrypoint", "the exported function to call (default `_start`)"),
            route("argv", "argv template: `${SCRIPT_NAME}` is the raw request path, `${ARGS}` the query with `&` as spaces"),
            route("volumes.GUEST", "a host directory the module sees at guest path `GUEST` (absolute), read-only"),
            route("writable_volumes", "guest paths of volumes the module may also write"),
            route("environment.NAME", "an environment variable for the module"),
            route("methods", "the HTTP methods served, e.g. `GET,POST`; others get `405` with `Allow` (HEAD goes with GET)"),
            route("hosts", "the Host names served, `name` (any port) or `name:port`; other hosts fall through to other routes"),
            route("allowed_hosts", "outbound HTTP allow-list for `wasi_experimental_http` (wagi's key)"),
            route("http_max_concurrency", "open outbound HTTP responses per request (wagi's key)"),
            route("http_timeout", "outbound HTTP request timeout, e.g. `10s`"),
            route("engine", "the engine for this route: `chicory`, `wasmtime` (native) or `auto`; default: the global `engine`"
                    + " setting's ([engines.md](engines.md))"),

            limit("timeout", "`30s`", "the wall-clock time of a run"),
            limit("max_memory", "`256MiB`", "the linear memory of a run's instance"),
            limit("max_concurrency", "half of `max-total-concurrency`", "runs of the route at once"),
            limit("max_body_size", "`64MiB`", "the request body"),
            limit("max_header_size", "`64KiB`", "the module's CGI header block"),
            limit("max_output_size", "none", "the module's stdout"),
            limit("max_stderr_size", "`16KiB`", "the stderr logged per run, in bytes"),
            limit("max_stderr_lines", "`100`", "the stderr logged per run, in lines"),

            setting("modules_toml", "none", "a wagi modules.toml to load routes from (path, `file:` URL, `/WEB-INF/` or `classpath:`"
                    + " resource)"),
            setting("engine", "`compiler`", "`compiler` (Chicory, modules compiled to JVM bytecode), `interpreter` (Chicory,"
                    + " interpreted), `wasmtime` (native code) or `auto` (per module); see [engines.md](engines.md)"),
            setting("environment.NAME", "none", "an environment variable for every module"),
            setting("health_route", "off", "a route answering `200 OK` (wagi's `/healthz`), before any other route"),
            setting("status_route", "off", "a route showing the routes, their modules and metrics as HTML or JSON, to users in"
                    + " `status-role`; see [status-and-metrics.md](status-and-metrics.md)"),
            setting("status_role", "`wagi-admin`", "the container role a user needs to see the status route"),
            setting("reload_interval", "`2s`", "how often the modules.toml is checked for changes; `0s` turns reloading off"),
            setting("module_cache_dir", "the webapp's temp dir", "where modules downloaded from `http(s):` URLs and pulled from OCI"
                    + " registries are kept, by content hash"),
            setting("oci_insecure_registries", "`localhost:5000, 127.0.0.1:5000` (as wagi)", "registries (`host:port`) that `oci:`"
                    + " modules are pulled from over plain HTTP; every other one over HTTPS. Empty: none ([oci.md](oci.md))"),
            setting("oci_username", "none", "the user for a registry that asks for credentials (Basic, or for a Bearer token) and has"
                    + " no entry in the Docker config; set with `oci-password`"),
            setting("oci_password", "none", "that user's password; set with `oci-username`"),
            setting("oci_docker_config", "`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`", "the Docker `config.json`"
                    + " whose `auths` hold credentials per registry; `off` for none"),
            setting("background_compile_size", "none: every module is compiled before the webapp serves", "modules at least this"
                    + " large (e.g. `8MiB`) are compiled in the background at startup, so the webapp and its other routes serve at"
                    + " once; requests to such a route wait for its compile, a failed compile answers 500 (logged) instead of failing"
                    + " the deployment, and its `_routes` is not consulted"),
            setting("code_cache_dir", "the webapp's temp dir", "where the bytecode compiled from each module is kept, by the module's"
                    + " digest, so a restart loads it instead of compiling again; `off` for none. It holds executable code: keep it"
                    + " writable only by the server's user."),
            setting("max_total_concurrency", "`100`", "module runs at once over all routes; see [limits.md](limits.md)"),
            setting("concurrency_wait", "`1s`", "how long a request waits for a free slot before 503"),
            setting("max_total_memory", "half of `-Xmx`", "the heap the module instances of all runs at once may book (linear memory"
                    + " and tables); past it an instance does not start, or a grow fails, and the request gets 503; see"
                    + " [limits.md](limits.md)"),
            setting("module_stack_size", "`32MiB`", "the stack of the threads that runs of modules that may recurse (and every"
                    + " run on wasmtime) happen on, which bounds how deep a module may recurse (a run past it ends with 500); `0`:"
                    + " on the container's request threads (their `-Xss`), Chicory only; see [limits.md](limits.md#recursion-depth)"),
            setting("demo_routes", "`false`", "`true`: this filter's web.xml routes are a demo, replaced by any route configured"
                    + " elsewhere that would serve their path (the WAR's web.xml sets it)"));

    private Keys() {}

    private static Key route(String name, String doc) {
        return new Key(name, Scope.ROUTE, "", doc);
    }

    private static Key limit(String name, String defaultValue, String doc) {
        return new Key(name, Scope.LIMIT, defaultValue, doc);
    }

    private static Key setting(String name, String defaultValue, String doc) {
        return new Key(name, Scope.SETTING, defaultValue, doc);
    }

    /** The keys a route may have: its own and the limits. */
    public static List<Key> ofRoute() {
        return ALL.stream().filter(key -> key.scope() != Scope.SETTING).toList();
    }

    /** The keys a filter may have besides its routes: the settings and the limits. */
    public static List<Key> ofFilter() {
        return ALL.stream().filter(key -> key.scope() != Scope.ROUTE).toList();
    }

    /** The canonical names of a scope's plain keys (no families). */
    static Set<String> names(Scope scope) {
        return ALL.stream().filter(key -> key.scope() == scope && !key.isFamily()).map(Key::name).collect(Collectors.toUnmodifiableSet());
    }

    /** The keys as a message lists them: {@code route, module, ...}, dashed or not. */
    static String list(List<Key> keys, boolean dashed) {
        return keys.stream().map(key -> dashed ? key.dashed() : key.name()).collect(Collectors.joining(", "));
    }

    /**
     * Environment-variable forms ({@code MAX_BODY_SIZE}) of the plain keys, longest first, so that a
     * variable ending in {@code _ALLOWED_HOSTS} is not taken for {@code HOSTS}.
     */
    static List<String> variableForms(List<Key> keys) {
        List<String> forms = new ArrayList<>();
        for (Key key : keys) {
            if (!key.isFamily()) {
                forms.add(key.name().toUpperCase(Locale.ROOT));
            }
        }
        forms.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        return List.copyOf(forms);
    }

    /** A Markdown table of the keys, as docs/configuration.md has it. */
    public static String table(List<Key> keys, boolean withDefaults) {
        StringBuilder table = new StringBuilder(withDefaults ? "| key | meaning | default |\n|---|---|---|\n" : "| key | meaning |\n|---|---|\n");
        for (Key key : keys) {
            String name = withDefaults ? key.dashed() : key.name();
            table.append("| `").append(name).append("` | ").append(key.doc());
            if (key.scope() == Scope.LIMIT && !withDefaults) {
                table.append(" (a limit: [limits.md](limits.md))");
            }
            table.append(withDefaults ? " | " + key.defaultValue() + " |\n" : " |\n");
        }
        return table.toString();
    }
}
