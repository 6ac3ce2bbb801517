package dev.wagiservlet.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads wagi's {@code modules.toml}: one {@code [[module]]} table per route with the keys
 * {@code route}, {@code module}, {@code entrypoint}, {@code argv} and {@code volumes}.
 *
 * <p>Relative module and volume paths resolve against the folder of the toml file (wagi resolves
 * them against its working directory, which a servlet container does not have in any useful way).
 * Keys that are not served yet are warned about, never silently dropped.
 */
public final class ModulesToml {

    private static final System.Logger LOG = System.getLogger(ModulesToml.class.getName());
    private static final TomlMapper MAPPER = new TomlMapper();
    private static final Set<String> NOT_YET_SUPPORTED = Set.of("allowed_hosts", "http_max_concurrency", "bindle_server");

    private ModulesToml() {}

    /**
     * Parses a modules.toml.
     *
     * @param location where the file is, for messages and to resolve relative references
     * @param content the file's bytes
     * @throws ConfigException naming the file, the entry and the key that is wrong
     */
    public static List<RouteConfig> read(Location location, InputStream content) {
        JsonNode root;
        try {
            root = MAPPER.readTree(content);
        } catch (JacksonException e) {
            throw new ConfigException(location + ": not valid TOML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException(location + ": cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(location + ": empty; expected one or more [[module]] tables");
        }
        root.fieldNames().forEachRemaining(key -> {
            if (!key.equals("module")) {
                LOG.log(Level.WARNING, "{0}: ignoring unknown top-level key ''{1}''", location, key);
            }
        });
        JsonNode modules = root.get("module");
        if (modules == null || !modules.isArray() || modules.isEmpty()) {
            throw new ConfigException(location + ": key 'module': expected one or more [[module]] tables");
        }
        List<RouteConfig> routes = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            routes.add(entry(location, modules.get(i), i + 1));
        }
        return routes;
    }

    private static RouteConfig entry(Location file, JsonNode table, int index) {
        String entryName = file + ": [[module]] #" + index;
        if (!table.isObject()) {
            throw new ConfigException(entryName + ": expected a table");
        }
        String route = string(table, "route", entryName, true);
        String where = entryName + " (route '" + route + "')";
        String module = string(table, "module", where, true);
        String entrypoint = Optional.ofNullable(string(table, "entrypoint", where, false))
                .map(ep -> InitParameters.requireNonEmpty(ep, where + ", key 'entrypoint'"))
                .orElse(RouteConfig.DEFAULT_ENTRYPOINT);
        Optional<String> argv = Optional.ofNullable(string(table, "argv", where, false));
        Map<String, Location> volumes = volumes(file, table, where);
        for (Iterator<String> keys = table.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (NOT_YET_SUPPORTED.contains(key)) {
                LOG.log(Level.WARNING, "{0}: key ''{1}'' is not supported yet and is ignored", where, key);
            } else if (!Set.of("route", "module", "entrypoint", "argv", "volumes").contains(key)) {
                LOG.log(Level.WARNING, "{0}: ignoring unknown key ''{1}''", where, key);
            }
        }
        return new RouteConfig(
                InitParameters.parseRoute(route, where + ", key 'route'"),
                InitParameters.parseLocation(module, file, where + ", key 'module'"),
                entrypoint, argv, volumes, where);
    }

    private static Map<String, Location> volumes(Location file, JsonNode table, String where) {
        JsonNode node = table.get("volumes");
        Map<String, Location> volumes = new LinkedHashMap<>();
        if (node == null) {
            return volumes;
        }
        String key = where + ", key 'volumes'";
        if (!node.isObject()) {
            throw new ConfigException(key + ": expected a table of guest path = host path");
        }
        node.fields().forEachRemaining(volume -> {
            if (!volume.getValue().isTextual()) {
                throw new ConfigException(key + ": the host path for '" + volume.getKey() + "' must be a string");
            }
            volumes.put(Volumes.guestPath(volume.getKey(), key),
                    InitParameters.parseLocation(volume.getValue().asText(), file, key));
        });
        return volumes;
    }

    private static String string(JsonNode table, String key, String where, boolean required) {
        JsonNode value = table.get(key);
        if (value == null) {
            if (required) {
                throw new ConfigException(where + ": key '" + key + "' is missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new ConfigException(where + ": key '" + key + "' must be a string, not " + value.getNodeType().toString().toLowerCase());
        }
        return value.asText();
    }
}
