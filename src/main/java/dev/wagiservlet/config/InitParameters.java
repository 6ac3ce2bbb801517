package dev.wagiservlet.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the WAGI filter's init-params (web.xml) as settings: the keys of {@link WagiSettingsReader}
 * as they are ({@code modules-toml}, {@code routes.hello.route}, ...).
 */
public final class InitParameters {

    private InitParameters() {}

    /**
     * @param params the init-params
     * @param origin where they come from, e.g. {@code web.xml filter 'wagi'}
     * @return the settings by canonical key
     */
    public static Map<String, Setting> read(Map<String, String> params, String origin) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            Setting setting = new Setting(value == null ? "" : value.trim(), origin + ", init-param '" + name + "'");
            Setting earlier = settings.put(WagiSettingsReader.canonical(name), setting);
            if (earlier != null) {
                throw setting.error("the same key as " + earlier.where());
            }
        });
        return settings;
    }
}
