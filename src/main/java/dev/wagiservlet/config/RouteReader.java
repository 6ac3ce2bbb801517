package dev.wagiservlet.config;

import dev.wagiservlet.routing.RoutePattern;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one route from its keys, whichever source they came from, so every source gets the same
 * keys and the same checks. Keys (wagi's names; web.xml and MicroProfile Config may also write
 * {@code -} for {@code _}):
 *
 * <pre>
 * route                 /hello or /static/...                                       (required)
 * module                file path, file: or http(s): URL, classpath: or /WEB-INF/ resource (required)
 * sha256                expected SHA-256 of the module (hex)
 * entrypoint            exported function to call (default _start)
 * argv                  argv template: ${SCRIPT_NAME} ${ARGS}
 * volumes.GUEST_PATH    host directory pre-opened at GUEST_PATH, read-only
 * writable_volumes      guest paths of volumes the module may also write
 * environment.NAME      an environment variable for the module
 * methods               HTTP methods served, e.g. GET,POST (others get 405)
 * hosts                 Host names served, e.g. example.com,api.example.com:8080
 * allowed_hosts         outbound HTTP allow-list (wasi_experimental_http)
 * http_max_concurrency  open outbound responses per request
 * http_timeout          outbound request timeout, e.g. 10s
 * engine                chicory, wasmtime or auto (default: the global engine setting)
 * timeout, max_memory, max_concurrency, max_body_size, max_header_size, max_output_size, max_stderr_size,
 * max_stderr_lines: see {@link Limits}
 * </pre>
 */
public final class RouteReader {

    private static final System.Logger LOG = System.getLogger(RouteReader.class.getName());
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");
    private static final Set<String> KEYS = Keys.names(Keys.Scope.ROUTE);
    /** wagi keys with no meaning here. */
    private static final Set<String> IGNORED = Set.of("bindle_server", "repository");

    /** The message for a route key that is none of these. */
    static final String UNKNOWN_KEY = "unknown route key; known keys are " + Keys.list(Keys.ofRoute(), false);

    private RouteReader() {}

    /** Whether a route key (canonical) is one this reader knows, ignored ones included. */
    static boolean isKnown(String key) {
        return KEYS.contains(key) || IGNORED.contains(key) || Limits.KEYS.contains(key)
                || key.startsWith("volumes.") || key.startsWith("environment.");
    }

    /** {@code allowed-hosts} becomes {@code allowed_hosts}; {@code volumes./a-b} keeps its path. */
    static String canonical(String key) {
        int dot = key.indexOf('.');
        String head = (dot < 0 ? key : key.substring(0, dot)).replace('-', '_').toLowerCase(Locale.ROOT);
        return dot < 0 ? head : head + key.substring(dot);
    }

    /**
     * @param keys the route's settings, by canonical key
     * @param base against which relative module and volume paths resolve
     * @param origin where the route was configured, for messages
     * @throws ConfigException for an unknown key, whatever the source: a typo never silently drops a setting
     */
    public static RouteConfig read(Map<String, Setting> keys, Location base, String origin) {
        Setting routeSetting = keys.get("route");
        if (routeSetting == null) {
            throw new ConfigException(origin + ": key 'route' is missing");
        }
        Setting moduleSetting = keys.get("module");
        if (moduleSetting == null) {
            throw new ConfigException(origin + ": key 'module' is missing");
        }
        RoutePattern route = route(routeSetting);
        Location module = location(moduleSetting, base);
        Map<String, Setting> volumeKeys = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, Setting> limits = new LinkedHashMap<>();
        for (Map.Entry<String, Setting> entry : keys.entrySet()) {
            String key = entry.getKey();
            if (Limits.KEYS.contains(key)) {
                limits.put(key, entry.getValue());
            } else if (key.startsWith("volumes.")) {
                volumeKeys.put(guestPath(key.substring("volumes.".length()), entry.getValue()), entry.getValue());
            } else if (key.startsWith("environment.")) {
                environment.put(environmentName(key.substring("environment.".length()), entry.getValue()), entry.getValue().value());
            } else if (IGNORED.contains(key)) {
                LOG.log(Level.WARNING, "{0}: ignored (not used by wagi-servlet)", entry.getValue().where());
            } else if (!KEYS.contains(key)) {
                throw entry.getValue().error(UNKNOWN_KEY);
            }
        }
        Set<String> writable = new HashSet<>();
        if (keys.containsKey("writable_volumes")) {
            Setting setting = keys.get("writable_volumes");
            for (String guest : setting.list()) {
                if (!volumeKeys.containsKey(guest)) {
                    throw setting.error("'" + guest + "' is not one of this route's volumes " + volumeKeys.keySet());
                }
                writable.add(guest);
            }
        }
        LimitOverrides ownLimits = LimitOverrides.read(limits); // parsed now, so a bad value fails the deployment
        Map<String, RouteConfig.Volume> volumes = new LinkedHashMap<>();
        volumeKeys.forEach((guest, host) -> volumes.put(guest, new RouteConfig.Volume(volume(host, base), writable.contains(guest))));

        return new RouteConfig(
                route,
                module,
                Optional.ofNullable(keys.get("sha256")).map(RouteReader::sha256),
                Optional.ofNullable(keys.get("entrypoint")).map(Setting::required).orElse(RouteConfig.DEFAULT_ENTRYPOINT),
                Optional.ofNullable(keys.get("argv")).map(Setting::value),
                volumes,
                environment,
                Optional.ofNullable(keys.get("methods")).map(RouteReader::methods).orElse(Set.of()),
                Optional.ofNullable(keys.get("hosts")).map(RouteReader::hosts).orElse(Set.of()),
                new RouteConfig.OutboundHttp(
                        Optional.ofNullable(keys.get("allowed_hosts")).map(Setting::list).orElse(List.of()),
                        keys.containsKey("http_max_concurrency")
                                ? OptionalInt.of(keys.get("http_max_concurrency").positiveInt()) : OptionalInt.empty(),
                        Optional.ofNullable(keys.get("http_timeout")).map(Setting::duration)),
                ownLimits,
                Optional.ofNullable(keys.get("engine")).map(RouteEngine::parse),
                origin);
    }

    static RoutePattern route(Setting setting) {
        try {
            return RoutePattern.parse(setting.value().trim());
        } catch (IllegalArgumentException e) {
            throw setting.error(e.getMessage());
        }
    }

    /** The location a setting names, relative ones resolved against {@code base}; errors name the setting. */
    public static Location location(Setting setting, Location base) {
        try {
            return Location.parse(setting.value().trim(), base);
        } catch (IllegalArgumentException e) {
            throw setting.error(e.getMessage());
        }
    }

    private static Location volume(Setting setting, Location base) {
        Location location = location(setting, base);
        if (location instanceof Location.RemoteUrl || location instanceof Location.ClasspathResource || location instanceof Location.OciImage) {
            throw setting.error("a volume must be a directory on disk, not " + location);
        }
        return location;
    }

    private static String guestPath(String guest, Setting setting) {
        if (!guest.startsWith("/") || guest.indexOf('\0') >= 0) {
            throw setting.error("the guest path of a volume must be absolute, like /data: '" + guest + "'");
        }
        return guest;
    }

    static String environmentName(String name, Setting setting) {
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            throw setting.error("'" + name + "' is not an environment variable name");
        }
        return name;
    }

    private static String sha256(Setting setting) {
        String hex = setting.value().trim();
        if (!SHA256.matcher(hex).matches()) {
            throw setting.error("expected 64 hexadecimal digits, got '" + hex + "'");
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    private static Set<String> methods(Setting setting) {
        Set<String> methods = new LinkedHashSet<>();
        for (String method : setting.list()) {
            if (!TOKEN.matcher(method).matches()) {
                throw setting.error("'" + method + "' is not an HTTP method");
            }
            methods.add(method.toUpperCase(Locale.ROOT));
        }
        return methods;
    }

    private static boolean validPort(String host) {
        int colon = host.lastIndexOf(':');
        if (colon < 0 || host.endsWith("]")) {
            return true;
        }
        int port = Integer.parseInt(host.substring(colon + 1));
        return port >= 1 && port <= 65535;
    }

    private static Set<String> hosts(Setting setting) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String host : setting.list()) {
            if (!HOST.matcher(host).matches() || !validPort(host)) {
                throw setting.error("'" + host + "' is not a host name, or host:port");
            }
            hosts.add(host.toLowerCase(Locale.ROOT));
        }
        return hosts;
    }
}
