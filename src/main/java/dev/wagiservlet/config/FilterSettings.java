package dev.wagiservlet.config;

import java.util.List;
import java.util.Optional;

/**
 * What one WAGI filter serves: the routes from its init-params, the modules.toml to add (if any),
 * and how modules run.
 *
 * @param modulesToml the modules.toml reference, as written in configuration
 * @param modulesTomlOrigin where that reference came from, for messages
 * @param engine how modules are executed
 * @param routes routes configured directly (web.xml init-params)
 */
public record FilterSettings(
        Optional<String> modulesToml, String modulesTomlOrigin, EngineMode engine, List<RouteConfig> routes) {

    public FilterSettings {
        routes = List.copyOf(routes);
    }

    /** The same settings with the modules.toml reference replaced (e.g. from MicroProfile Config). */
    public FilterSettings withModulesToml(String reference, String origin) {
        return new FilterSettings(Optional.of(reference), origin, engine, routes);
    }
}
