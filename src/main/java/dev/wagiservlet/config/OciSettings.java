package dev.wagiservlet.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How {@code oci:} modules are pulled (see docs/oci.md).
 *
 * @param insecureRegistries the registries ({@code host[:port]}, lower case) spoken to over plain HTTP;
 *     every other one over HTTPS. Default, as wagi's: {@code localhost:5000} and {@code 127.0.0.1:5000}
 * @param username the user name sent to a registry that asks for credentials and has none in the Docker config
 * @param password its password
 * @param dockerConfig the Docker {@code config.json} with credentials per registry: empty for the default
 *     ({@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}), {@code off} for none
 */
public record OciSettings(List<String> insecureRegistries, Optional<String> username, Optional<String> password,
        Optional<String> dockerConfig) {

    /** The setting keys (canonical), as {@link WagiSettingsReader} hands them over. */
    public static final List<String> KEYS = List.of("oci_insecure_registries", "oci_username", "oci_password", "oci_docker_config");

    /** wagi's: plain HTTP only for a registry on the local machine's port 5000. */
    public static final List<String> DEFAULT_INSECURE_REGISTRIES = List.of("localhost:5000", "127.0.0.1:5000");

    /** No settings: the defaults. */
    public static final OciSettings DEFAULTS = new OciSettings(DEFAULT_INSECURE_REGISTRIES, Optional.empty(), Optional.empty(),
            Optional.empty());

    public OciSettings {
        insecureRegistries = List.copyOf(insecureRegistries);
    }

    /** Reads the {@link #KEYS}; a user name needs a password and the other way round. */
    static OciSettings read(Map<String, Setting> settings) {
        List<String> insecure = DEFAULT_INSECURE_REGISTRIES;
        Setting list = settings.get("oci_insecure_registries");
        if (list != null) {
            insecure = list.list().stream().map(registry -> {
                if (registry.contains("/") || registry.contains("@")) {
                    throw list.error("'" + registry + "' is not a registry; expected host[:port], e.g. 127.0.0.1:5000");
                }
                return registry.toLowerCase(Locale.ROOT);
            }).toList();
        }
        Setting username = settings.get("oci_username");
        Setting password = settings.get("oci_password");
        if (username != null && password == null) {
            throw username.error("oci-password must be set too");
        }
        if (password != null && username == null) {
            throw password.error("oci-username must be set too");
        }
        return new OciSettings(insecure, Optional.ofNullable(username).map(Setting::required),
                Optional.ofNullable(password).map(Setting::value), Optional.ofNullable(settings.get("oci_docker_config")).map(Setting::required));
    }

    /** Whether the registry ({@code host[:port]}) is spoken to over plain HTTP. */
    public boolean isInsecure(String registry) {
        return insecureRegistries.contains(registry.toLowerCase(Locale.ROOT));
    }

    /** Does not show the password. */
    @Override
    public String toString() {
        return "OciSettings[insecureRegistries=" + insecureRegistries + ", username=" + username
                + ", password=" + password.map(p -> "***") + ", dockerConfig=" + dockerConfig + "]";
    }
}
