package dev.wagiservlet.filter;

import dev.wagiservlet.config.DemoRoutes;
import dev.wagiservlet.config.InitParameters;
import dev.wagiservlet.config.MicroProfileSettings;
import dev.wagiservlet.config.Setting;
import dev.wagiservlet.config.SystemSettings;
import dev.wagiservlet.config.WagiSettings;
import dev.wagiservlet.config.WagiSettingsReader;
import jakarta.servlet.FilterConfig;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A filter's settings: its init-params, overlaid key by key by MicroProfile Config
 * ({@code wagi.*} properties, {@code WAGI_*} environment variables) when the webapp has it, or
 * else by the JVM's {@code wagi.*} system properties and {@code WAGI_*} environment variables, read
 * directly under the same names ({@link SystemSettings}).
 */
final class FilterSettings {

    private static final System.Logger LOG = System.getLogger(FilterSettings.class.getName());

    private FilterSettings() {}

    /**
     * @param origin how messages name the filter, e.g. {@code web.xml filter 'wagi'}
     * @throws dev.wagiservlet.config.ConfigException naming the key and where it was set
     */
    static WagiSettings read(FilterConfig filterConfig, String origin) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String param : Collections.list(filterConfig.getInitParameterNames())) {
            params.put(param, filterConfig.getInitParameter(param));
        }
        Map<String, Setting> microProfile = Map.of();
        ClassLoader loader = filterConfig.getServletContext().getClassLoader();
        if (MicroProfileSettings.isAvailable(loader)) {
            try (MicroProfileSettings config = MicroProfileSettings.load(loader)) {
                microProfile = config.settings();
            }
        } else { // a webapp of one's own with only the library: the same wagi.* / WAGI_* names, read directly
            LOG.log(Level.INFO, "WAGI filter ''{0}'': {1}", filterConfig.getFilterName(), SystemSettings.WITHOUT_MICROPROFILE);
            microProfile = SystemSettings.fromSystem();
        }
        Map<String, Setting> webXml = InitParameters.read(params, origin);
        Map<String, Setting> settings = new LinkedHashMap<>(webXml);
        settings.putAll(microProfile); // key by key
        return WagiSettingsReader.read(settings, origin, DemoRoutes.names(webXml, settings));
    }
}
