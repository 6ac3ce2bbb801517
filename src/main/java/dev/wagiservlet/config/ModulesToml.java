package dev.wagiservlet.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads wagi's {@code modules.toml}: one {@code [[module]]} table per route, with the keys of
 * {@link RouteReader} (wagi's own: {@code route}, {@code module}, {@code entrypoint}, {@code argv},
 * {@code volumes}, {@code allowed_hosts}, {@code http_max_concurrency}; and ours).
 *
 * <p>Relative module and volume paths resolve against the folder of the toml file (wagi resolves
 * them against its working directory, which a servlet container does not have in any useful way).
 * An unknown route key fails, as in every other source; wagi's own keys that have no meaning here
 * ({@code bindle_server}, {@code repository}) and top-level keys ({@code default_host}) are
 * ignored with a warning, so a wagi modules.toml works unchanged.
 */
public final class ModulesToml {

    private static final System.Logger LOG = System.getLogger(ModulesToml.class.getName());
    /**
     * Without recycling: Jackson's default pool keeps a buffer in a thread-local of whichever
     * container thread parsed the file, and that buffer's class would pin the webapp's class
     * loader after undeploy.
     */
    private static final TomlMapper MAPPER = new TomlMapper(com.fasterxml.jackson.dataformat.toml.TomlFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.nonRecyclingPool())
            .build());

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
            JsonNode table = modules.get(i);
            String entry = location + ": [[module]] #" + (i + 1);
            if (!table.isObject()) {
                throw new ConfigException(entry + ": expected a table");
            }
            JsonNode route = table.get("route");
            if (route != null && route.isTextual()) {
                entry += " (route '" + route.asText() + "')";
            }
            routes.add(RouteReader.read(flatten(table, entry), location, entry));
        }
        return routes;
    }

    private static final Set<String> STRINGS = Set.of("route", "module", "entrypoint", "argv", "sha256", "http_timeout");
    private static final Set<String> TABLES = Set.of("volumes", "environment");
    private static final Set<String> LISTS = Set.of("allowed_hosts", "methods", "hosts", "writable_volumes");

    /** {@code volumes = { "/data" = "d" }} becomes {@code volumes./data = d}; arrays become comma lists. */
    private static Map<String, Setting> flatten(JsonNode table, String entry) {
        Map<String, Setting> keys = new LinkedHashMap<>();
        table.properties().forEach(field -> {
            String key = field.getKey();
            JsonNode value = field.getValue();
            String where = where(entry, key);
            if (TABLES.contains(key)) {
                if (!value.isObject()) {
                    throw new ConfigException(where + ": must be a table, like { \"/guest\" = \"host\" }, not " + type(value));
                }
                value.properties().forEach(inner -> {
                    String innerWhere = where(entry, key + "." + inner.getKey());
                    if (!inner.getValue().isTextual()) {
                        throw new ConfigException(innerWhere + ": must be a string, not " + type(inner.getValue()));
                    }
                    keys.put(key + "." + inner.getKey(), new Setting(inner.getValue().asText(), innerWhere));
                });
            } else if (LISTS.contains(key)) {
                if (!value.isArray()) {
                    throw new ConfigException(where + ": must be a list of strings, like [\"a\", \"b\"], not " + type(value));
                }
                List<String> items = new ArrayList<>();
                for (JsonNode item : value) {
                    if (!item.isTextual() || item.asText().contains(",")) {
                        throw new ConfigException(where + ": every item must be a string without ',', not " + item);
                    }
                    items.add(item.asText());
                }
                keys.put(key, new Setting(String.join(",", items), where));
            } else if (STRINGS.contains(key) && !value.isTextual()) {
                throw new ConfigException(where + ": must be a string, not " + type(value));
            } else if (!value.isValueNode() || value.isNull()) {
                if (RouteReader.isKnown(key)) {
                    throw new ConfigException(where + ": must be a string or number, not " + type(value));
                }
                keys.put(key, new Setting(value.toString(), where)); // unknown: RouteReader refuses it
            } else {
                keys.put(key, new Setting(value.asText(), where));
            }
        });
        return keys;
    }

    private static String type(JsonNode value) {
        return value.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static String where(String entry, String key) {
        return entry + ", key '" + key + "'";
    }
}
