package dev.wagiservlet.config;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * Reads WAGI settings from MicroProfile Config, when the webapp has an implementation (the WAR
 * bundles SmallRye Config). With it, {@code wagi.modules-toml} can come from a system property,
 * {@code META-INF/microprofile-config.properties}, or the environment variable
 * {@code WAGI_MODULES_TOML}, with the same unchanged WAR.
 *
 * <p>Only touch this class after {@link #isAvailable(ClassLoader)} said yes: it links against
 * the MicroProfile API, which a webapp using the plain JAR may not have.
 */
public final class MicroProfileSettings implements AutoCloseable {

    /** The key that names a modules.toml. */
    public static final String MODULES_TOML = "wagi.modules-toml";

    private final Config config;

    private MicroProfileSettings(Config config) {
        this.config = config;
    }

    /** Whether MicroProfile Config and an implementation of it can be loaded. */
    public static boolean isAvailable(ClassLoader loader) {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, loader);
            return loader.getResource("META-INF/services/org.eclipse.microprofile.config.spi.ConfigProviderResolver") != null;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The webapp's configuration. */
    public static MicroProfileSettings load(ClassLoader loader) {
        return new MicroProfileSettings(ConfigProvider.getConfig(loader));
    }

    /** The modules.toml reference, if configured. */
    public Optional<String> modulesToml() {
        return config.getOptionalValue(MODULES_TOML, String.class).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Releases the configuration so the webapp's class loader can be collected after undeploy. */
    @Override
    public void close() {
        ConfigProviderResolver.instance().releaseConfig(config);
    }
}
