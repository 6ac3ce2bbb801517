package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.routing.RoutePattern;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicroProfileSettingsTest {

    // --- settings() with SmallRye Config ------------------------------------------------------------

    private final List<URLClassLoader> loaders = new ArrayList<>();
    private final List<Config> registered = new ArrayList<>();

    @AfterEach
    void release() throws Exception {
        for (Config config : registered) {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
        for (URLClassLoader loader : loaders) {
            loader.close();
        }
    }

    /** A source like system properties (ordinal 400) and one like the environment (ordinal 300). */
    private static Config config(Map<String, String> properties, Map<String, String> environment) {
        return config(properties, 400, environment, 300);
    }

    private static Config config(Map<String, String> properties, int propertiesOrdinal, Map<String, String> environment, int environmentOrdinal) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "sysprops-like", propertiesOrdinal))
                .withSources(new EnvConfigSource(environment, environmentOrdinal))
                .build();
    }

    /** The settings MicroProfileSettings.load reads from the given config, registered for a fresh class loader. */
    private Map<String, Setting> settings(Config config) {
        URLClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader());
        loaders.add(loader);
        ConfigProviderResolver.instance().registerConfig(config, loader);
        registered.add(config);
        try (MicroProfileSettings settings = MicroProfileSettings.load(loader)) {
            return settings.settings();
        }
    }

    private Map<String, Setting> settings(Map<String, String> properties, Map<String, String> environment) {
        return settings(config(properties, environment));
    }

    @Test
    void isAvailableWithSmallRyeOnTheClassPath() {
        assertTrue(MicroProfileSettings.isAvailable(getClass().getClassLoader()));
    }

    @Test
    void isNotAvailableWithoutMicroProfileConfig() throws Exception {
        try (URLClassLoader bare = new URLClassLoader(new URL[0], null)) {
            assertFalse(MicroProfileSettings.isAvailable(bare));
        }
    }

    @Test
    void nothingConfigured() {
        assertEquals(Map.of(), settings(Map.of(), Map.of()));
    }

    /** Payara's MicroProfile Config names its environment source "Environment", not SmallRye's "EnvConfigSource". */
    @Test
    void variablesFromAnEnvironmentSourceOfAnotherName() {
        Config config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("wagi.routes.file.route", "/file"), "microprofile-config.properties", 100))
                .withSources(new PayaraEnvironment(Map.of("WAGI_ROUTES_SERVER_ROUTE", "/server", "WAGI_ROUTES_FILE_MODULE", "/f.wasm")))
                .build();
        Map<String, Setting> settings = settings(config);
        assertEquals(new Setting("/server", "environment variable WAGI_ROUTES_SERVER_ROUTE"), settings.get("routes.server.route"));
        assertEquals(new Setting("/f.wasm", "environment variable WAGI_ROUTES_FILE_MODULE"), settings.get("routes.file.module"));
        assertEquals("/file", settings.get("routes.file.route").value());
    }

    @Test
    void nonWagiPropertiesAreIgnored() {
        Map<String, Setting> settings = settings(
                Map.of("other", "1", "wagix.engine", "interpreter", "java.home", "/jdk", "Wagi.engine", "interpreter"),
                Map.of("PATH", "/bin", "HOME", "/root", "WAGIX_ENGINE", "interpreter", "wagi_engine", "interpreter"));
        assertEquals(Map.of(), settings);
    }

    @Test
    void wagiPropertiesByCanonicalKey() {
        Map<String, Setting> settings = settings(Map.of(
                "wagi.modules-toml", " /etc/wagi/modules.toml ",
                "wagi.engine", "interpreter",
                "wagi.routes.hello.route", "/hello",
                "wagi.routes.hello.allowed-hosts", "https://a.example",
                "wagi.routes.hello.volumes./my-data", "/srv/data",
                "wagi.environment.API-KEY", "k"), Map.of());
        assertEquals(Set.of("modules_toml", "engine", "routes.hello.route", "routes.hello.allowed_hosts", "routes.hello.volumes./my-data",
                "environment.API-KEY"), settings.keySet());
        Setting toml = settings.get("modules_toml");
        assertEquals("/etc/wagi/modules.toml", toml.value());
        assertTrue(toml.where().startsWith("MicroProfile Config property 'wagi.modules-toml'"), toml.where());
        assertTrue(toml.where().contains("sysprops-like"), toml.where());
    }

    /** The README's main use: an unchanged WAR pointed at a modules.toml by one environment variable. */
    @Test
    void modulesTomlFromAnEnvironmentVariableAlone() {
        Map<String, Setting> settings = settings(Map.of(), Map.of("WAGI_MODULES_TOML", "/modules/modules.toml"));
        assertEquals(Set.of("modules_toml"), settings.keySet());
        assertEquals("/modules/modules.toml", settings.get("modules_toml").value());
        assertTrue(settings.get("modules_toml").where().startsWith("environment variable WAGI_MODULES_TOML"),
                settings.get("modules_toml").where());
    }

    @Test
    void environmentVariablesByTheirOwnNames() {
        Map<String, Setting> settings = settings(Map.of(), Map.of(
                "WAGI_MODULES_TOML", "/modules/modules.toml",
                "WAGI_ENGINE", "interpreter",
                "WAGI_HEALTH_ROUTE", "/healthz",
                "WAGI_RELOAD_INTERVAL", "5s",
                "WAGI_MODULE_CACHE_DIR", "/var/cache/wagi",
                "WAGI_ENVIRONMENT_API_KEY", "global",
                "WAGI_ROUTES_MY_APP_ROUTE", "/app/...",
                "WAGI_ROUTES_MY_APP_MODULE", "/opt/wasm/app.wasm",
                "WAGI_ROUTES_MY_APP_ALLOWED_HOSTS", "https://api.example.com",
                "WAGI_ROUTES_MY_APP_ENVIRONMENT_DB_URL", "jdbc:x"));
        assertEquals(Set.of("modules_toml", "engine", "health_route", "reload_interval", "module_cache_dir", "environment.API_KEY",
                "routes.my_app.route", "routes.my_app.module", "routes.my_app.allowed_hosts", "routes.my_app.environment.DB_URL"),
                settings.keySet());
        assertTrue(settings.get("routes.my_app.allowed_hosts").where().startsWith("environment variable WAGI_ROUTES_MY_APP_ALLOWED_HOSTS"),
                settings.get("routes.my_app.allowed_hosts").where());

        WagiSettings read = WagiSettingsReader.read(settings, "MicroProfile Config");
        assertEquals("/modules/modules.toml", read.modulesToml().orElseThrow().value());
        assertEquals(EngineMode.INTERPRETER, read.engine());
        assertEquals(Optional.of(RoutePattern.parse("/healthz")), read.healthRoute());
        assertEquals(Duration.ofSeconds(5), read.reloadInterval());
        assertEquals("/var/cache/wagi", read.moduleCacheDir().orElseThrow().value());
        assertEquals(Map.of("API_KEY", "global"), read.environment());
        RouteConfig route = read.routes().get(0);
        assertEquals(RoutePattern.parse("/app/..."), route.route());
        assertEquals(new Location.HostFile(Path.of("/opt/wasm/app.wasm")), route.module());
        assertEquals(List.of("https://api.example.com"), route.http().allowedHosts());
        assertEquals(Map.of("DB_URL", "jdbc:x"), route.environment());
    }

    /** The same rule as for wagi.* properties: a typo fails the deployment, naming the variable. */
    @Test
    void anUnknownWagiEnvironmentVariableFails() {
        ConfigException typo = assertThrows(ConfigException.class, () -> settings(Map.of(), Map.of("WAGI_ROUTES_HELLO_MODUEL", "x")));
        assertTrue(typo.getMessage().startsWith("environment variable WAGI_ROUTES_HELLO_MODUEL: unknown route key"), typo.getMessage());
        ConfigException volumes = assertThrows(ConfigException.class,
                () -> settings(Map.of(), Map.of("WAGI_ROUTES_HELLO_VOLUMES_DATA", "/srv")));
        assertTrue(volumes.getMessage().contains("volumes.GUEST_PATH cannot be written as an environment variable"), volumes.getMessage());
        ConfigException other = assertThrows(ConfigException.class, () -> settings(Map.of(), Map.of("WAGI_FOO", "x")));
        assertTrue(other.getMessage().startsWith("environment variable WAGI_FOO: not a wagi-servlet setting"), other.getMessage());
        assertTrue(other.getMessage().contains("WAGI_MODULES_TOML"), other.getMessage());
    }

    @Test
    void propertyWinsOverEnvironmentVariableWithALowerOrdinal() {
        Map<String, Setting> settings = settings(
                Map.of("wagi.modules-toml", "/from/property.toml", "wagi.routes.hello.allowed-hosts", "https://property.example"),
                Map.of("WAGI_MODULES_TOML", "/from/env.toml", "WAGI_ROUTES_HELLO_ALLOWED_HOSTS", "https://env.example"));
        assertEquals(Set.of("modules_toml", "routes.hello.allowed_hosts"), settings.keySet());
        assertEquals("/from/property.toml", settings.get("modules_toml").value());
        assertTrue(settings.get("modules_toml").where().startsWith("MicroProfile Config property 'wagi.modules-toml'"),
                settings.get("modules_toml").where());
        assertEquals("https://property.example", settings.get("routes.hello.allowed_hosts").value());
        assertTrue(settings.get("routes.hello.allowed_hosts").where().startsWith("MicroProfile Config property 'wagi.routes.hello.allowed-hosts'"),
                settings.get("routes.hello.allowed_hosts").where());
    }

    @Test
    void environmentVariableWinsOverPropertyWithALowerOrdinal() {
        Map<String, Setting> settings = settings(config(
                Map.of("wagi.modules-toml", "/from/property.toml", "wagi.engine", "compiler"), 300,
                Map.of("WAGI_MODULES_TOML", "/from/env.toml", "WAGI_ENGINE", "interpreter"), 400));
        assertEquals(Set.of("modules_toml", "engine"), settings.keySet());
        assertEquals("/from/env.toml", settings.get("modules_toml").value());
        assertTrue(settings.get("modules_toml").where().startsWith("environment variable WAGI_MODULES_TOML"),
                settings.get("modules_toml").where());
        assertEquals("interpreter", settings.get("engine").value());
        assertTrue(settings.get("engine").where().startsWith("environment variable WAGI_ENGINE"), settings.get("engine").where());
    }

    @Test
    void propertyAndEnvironmentVariableForDifferentKeysAreBothRead() {
        Map<String, Setting> settings = settings(Map.of("wagi.routes.hello.route", "/hello"), Map.of("WAGI_ROUTES_HELLO_MODULE", "/opt/h.wasm"));
        WagiSettings read = WagiSettingsReader.read(settings, "MicroProfile Config");
        assertEquals(1, read.routes().size());
        assertEquals(RoutePattern.parse("/hello"), read.routes().get(0).route());
        assertEquals(new Location.HostFile(Path.of("/opt/h.wasm")), read.routes().get(0).module());
    }

    /**
     * A route configured in properties (say the WAR's microprofile-config.properties, ordinal 100)
     * whose name has a '-', with one key overridden by its environment variable.
     */
    @Test
    void environmentVariableOverridesOneKeyOfARouteWithADashInItsName() {
        Map<String, Setting> settings = settings(config(
                Map.of("wagi.routes.my-app.route", "/app", "wagi.routes.my-app.module", "/opt/old.wasm"), 100,
                Map.of("WAGI_ROUTES_MY_APP_MODULE", "/opt/new.wasm"), 300));
        WagiSettings read = WagiSettingsReader.read(settings, "MicroProfile Config");
        assertEquals(1, read.routes().size(), read.routes().toString());
        assertEquals(RoutePattern.parse("/app"), read.routes().get(0).route());
        assertEquals(new Location.HostFile(Path.of("/opt/new.wasm")), read.routes().get(0).module());
    }

    /** The same override for a lower-case environment variable name of the module. */
    @Test
    void environmentVariableOverridesAPropertyForALowerCaseModuleVariable() {
        Map<String, Setting> settings = settings(config(
                Map.of("wagi.environment.db_url", "from-properties"), 100,
                Map.of("WAGI_ENVIRONMENT_DB_URL", "from-env"), 300));
        assertEquals("from-env", settings.get("environment.db_url") == null ? null : settings.get("environment.db_url").value(),
                settings.toString());
    }

    @Test
    void argvTemplateIsNotExpandedAsAConfigExpression() {
        Map<String, Setting> settings = settings(
                Map.of("wagi.routes.a.argv", "${SCRIPT_NAME} ${ARGS}"),
                Map.of("WAGI_ROUTES_B_ARGV", "ruby index.rb ${SCRIPT_NAME} ${ARGS}"));
        assertEquals("${SCRIPT_NAME} ${ARGS}", settings.get("routes.a.argv").value());
        assertEquals("ruby index.rb ${SCRIPT_NAME} ${ARGS}", settings.get("routes.b.argv").value());
    }

    @Test
    void valuesAreTrimmed() {
        assertEquals("interpreter", settings(Map.of("wagi.engine", "  interpreter \n"), Map.of()).get("engine").value());
        assertEquals("/t.toml", settings(Map.of(), Map.of("WAGI_MODULES_TOML", " /t.toml ")).get("modules_toml").value());
    }

    @Test
    void errorsNameThePropertyOrTheEnvironmentVariable() {
        ConfigException property = assertThrows(ConfigException.class,
                () -> WagiSettingsReader.read(settings(Map.of("wagi.engine", "jit"), Map.of()), "MicroProfile Config"));
        assertTrue(property.getMessage().startsWith("MicroProfile Config property 'wagi.engine'"), property.getMessage());

        ConfigException variable = assertThrows(ConfigException.class,
                () -> WagiSettingsReader.read(settings(Map.of(), Map.of("WAGI_RELOAD_INTERVAL", "soon")), "MicroProfile Config"));
        assertTrue(variable.getMessage().startsWith("environment variable WAGI_RELOAD_INTERVAL"), variable.getMessage());
        assertTrue(variable.getMessage().contains("'soon'"), variable.getMessage());

        ConfigException unknown = assertThrows(ConfigException.class,
                () -> WagiSettingsReader.read(settings(Map.of("wagi.modules.toml", "x"), Map.of()), "MicroProfile Config"));
        assertTrue(unknown.getMessage().startsWith("MicroProfile Config property 'wagi.modules.toml'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("unknown key"), unknown.getMessage());
    }

    @Test
    void closeReleasesTheConfig() throws Exception {
        Config config = config(Map.of("wagi.engine", "interpreter"), Map.of());
        try (URLClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            ConfigProviderResolver.instance().registerConfig(config, loader);
            MicroProfileSettings settings = MicroProfileSettings.load(loader);
            assertEquals("interpreter", settings.settings().get("engine").value());
            settings.close();
            // released: the loader can be given a config again (registering twice for one loader is refused)
            Config again = config(Map.of("wagi.engine", "compiler"), Map.of());
            ConfigProviderResolver.instance().registerConfig(again, loader);
            registered.add(again);
            try (MicroProfileSettings second = MicroProfileSettings.load(loader)) {
                assertEquals("compiler", second.settings().get("engine").value());
            }
        }
    }

    /** A properties file named environment.properties is a file source like any other, not the environment. */
    @Test
    void aFileNamedEnvironmentIsNoEnvironmentSource() {
        Map<String, Setting> settings = settings(new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(
                Map.of("wagi.environment.GREETING", "hello there"), "PropertiesConfigSource[source=file:/srv/environment.properties]", 250))
                .build());
        assertEquals("hello there", settings.get("environment.GREETING").value());
    }

    /** An environment source as Payara names it: "Environment", ordinal 300. */
    private record PayaraEnvironment(Map<String, String> variables) implements ConfigSource {
        @Override
        public Set<String> getPropertyNames() {
            return variables.keySet();
        }

        @Override
        public String getValue(String name) {
            return variables.get(name);
        }

        @Override
        public String getName() {
            return "Environment";
        }

        @Override
        public int getOrdinal() {
            return 300;
        }
    }
}
