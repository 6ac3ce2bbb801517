package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.config.SystemSettings;
import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three MicroProfile Config sources a server gives a webapp, reaching the filter in the WAR and
 * in a webapp of one's own with the library: the webapp's {@code META-INF/microprofile-config.properties},
 * a {@code WAGI_*} environment variable and a {@code -Dwagi.*} system property, with MicroProfile's
 * precedence (property over variable over file). The same WAR and library serve in Tomcat and Jetty
 * (which have no MicroProfile: the WAR's bundled SmallRye core reads them; the library webapp
 * brings the API and SmallRye core, as the README says) and in Payara Micro (which has its own
 * MicroProfile Config and CDI: the library webapp uses the server's Config).
 */
abstract class ServerConfigSourcesContract extends ContainerContract {

    private static final String PROPERTIES = """
            wagi.routes.fromfile.route=/from-file
            wagi.routes.fromfile.module=/WEB-INF/wasm/hello.wasm
            wagi.routes.ranked.route=/ranked
            wagi.routes.ranked.module=/WEB-INF/wasm/env.wasm
            wagi.routes.ranked.environment.WHERE=file
            wagi.routes.ranked.environment.WHO=file
            wagi.routes.ranked.environment.WHAT=file
            """;


    abstract ServletContainer newContainer();

    /** Whether the server gives webapps MicroProfile Config (else the library webapp brings SmallRye core). */
    abstract boolean serverHasMicroProfile();

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        Path war = unzip(TestWebapps.war(), work.resolve("wagi"));
        Files.writeString(Files.createDirectories(war.resolve("WEB-INF/classes/META-INF"))
                .resolve("microprofile-config.properties"), PROPERTIES);

        Path app = TestWebapps.webapp(work.resolve("app"), List.of(), "");
        TestWebapps.addLibrary(app);
        if (!serverHasMicroProfile()) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(TestWebapps.property("wagi.microprofile.lib"), "*.jar")) {
                for (Path jar : jars) {
                    Files.copy(jar, app.resolve("WEB-INF/lib").resolve(jar.getFileName()));
                }
            }
        }
        Files.copy(war.resolve("WEB-INF/glassfish-web.xml"), app.resolve("WEB-INF/glassfish-web.xml"));
        Files.createDirectories(app.resolve("WEB-INF/wasm"));
        for (String module : List.of("hello", "env")) {
            Files.copy(TestWebapps.module(module), app.resolve("WEB-INF/wasm").resolve(module + ".wasm"));
        }
        Files.writeString(Files.createDirectories(app.resolve("WEB-INF/classes/META-INF"))
                .resolve("microprofile-config.properties"), PROPERTIES);

        container = newContainer()
                .deploy("/wagi", war)
                .deploy("/app", app)
                .env("WAGI_ROUTES_FROMENV_ROUTE", "/from-env")
                .env("WAGI_ROUTES_FROMENV_MODULE", "/WEB-INF/wasm/hello.wasm")
                .env("WAGI_ROUTES_RANKED_ENVIRONMENT_WHO", "variable")
                .env("WAGI_ROUTES_RANKED_ENVIRONMENT_WHAT", "variable")
                .systemProperty("wagi.routes.fromprop.route", "/from-property")
                .systemProperty("wagi.routes.fromprop.module", "/WEB-INF/wasm/hello.wasm")
                .systemProperty("wagi.routes.ranked.environment.WHAT", "property")
                .start();
    }

    @Test
    void bothWebappsDeploy() {
        String log = container.log();
        assertFalse(log.contains("Exception while loading the app"), log);
        assertTrue(log.contains("WAGI filter 'wagi' serves 7 route(s)"), "the WAR: 3 of web.xml, 4 configured: " + log);
        assertTrue(log.contains("WAGI filter 'wagi' serves 4 route(s)"), "the library webapp: 4 configured: " + log);
        assertFalse(log.contains(SystemSettings.WITHOUT_MICROPROFILE), "both webapps read MicroProfile Config: " + log);
    }

    @Test
    void theWarServesItsOwnRoutesAndEverySource() throws Exception {
        assertEquals("Hello, world!\n", get("/wagi/hello").body(), "web.xml");
        assertServesEverySource("/wagi");
    }

    @Test
    void theLibraryWebappServesEverySource() throws Exception {
        assertServesEverySource("/app");
        assertEquals(404, get("/app/hello").statusCode(), "the WAR's web.xml routes are the WAR's only");
    }

    private void assertServesEverySource(String context) throws Exception {
        assertEquals("Hello, world!\n", get(context + "/from-file").body(), "microprofile-config.properties");
        assertEquals("Hello, world!\n", get(context + "/from-env").body(), "WAGI_* environment variable");
        assertEquals("Hello, world!\n", get(context + "/from-property").body(), "-Dwagi.* system property");
        HttpResponse<String> ranked = get(context + "/ranked");
        assertEquals(200, ranked.statusCode(), ranked.body());
        Map<String, String> env = WagiFilterContract.env(ranked.body());
        assertEquals("file", env.get("WHERE"), ranked.body());
        assertEquals("variable", env.get("WHO"), "a variable over the file: " + ranked.body());
        assertEquals("property", env.get("WHAT"), "a system property over a variable: " + ranked.body());
    }


    private static Path unzip(Path war, Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(war); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("Entry outside the WAR: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(zip, Files.createDirectories(target.getParent()).resolve(target.getFileName()));
                }
            }
        }
        return dir;
    }
}
