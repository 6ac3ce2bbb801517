package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webapp of one's own that declares only the README's dependency (the library JAR and its runtime
 * dependencies, without MicroProfile Config or SmallRye): routes set by a {@code WAGI_ROUTES_*}
 * environment variable and by a {@code -Dwagi.routes.*} system property both serve, beside a route
 * of its web.xml, and the log says that MicroProfile Config is absent.
 */
abstract class LibraryWithoutMicroProfileContract extends ContainerContract {

    private Path app;

    abstract ServletContainer newContainer();

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        app = TestWebapps.webapp(work.resolve("app"), List.of(
                new String[] {"routes.hello.route", "/hello"},
                new String[] {"routes.hello.module", TestWebapps.module("hello").toString()}), "");
        TestWebapps.addLibrary(app);
        container = newContainer()
                .deploy("/app", app)
                .env("WAGI_ROUTES_FROM_ENV_ROUTE", "/from-env/...")
                .env("WAGI_ROUTES_FROM_ENV_MODULE", TestWebapps.module("env").toString())
                .env("WAGI_ROUTES_FROM_ENV_ENVIRONMENT_SOURCE", "environment")
                .systemProperty("wagi.routes.from-property.route", "/from-property")
                .systemProperty("wagi.routes.from-property.module", TestWebapps.module("env").toString())
                .systemProperty("wagi.routes.from-property.environment.SOURCE", "system-property")
                .start();
    }

    @Test
    void theWebappHasNoMicroProfileConfig() throws IOException {
        try (Stream<Path> jars = Files.list(app.resolve("WEB-INF/lib"))) {
            List<String> names = jars.map(jar -> jar.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(name -> name.startsWith("wagi-servlet")), names.toString());
            assertFalse(names.stream().anyMatch(name -> name.contains("microprofile") || name.contains("smallrye")), names.toString());
        }
    }

    @Test
    void anEnvironmentVariableConfiguresARoute() throws Exception {
        HttpResponse<String> response = get("/app/from-env/x");
        assertEquals(200, response.statusCode(), response.body());
        Map<String, String> env = WagiFilterContract.env(response.body());
        assertEquals("environment", env.get("SOURCE"));
        assertEquals("/app/from-env", env.get("SCRIPT_NAME"));
    }

    @Test
    void aSystemPropertyConfiguresARoute() throws Exception {
        HttpResponse<String> response = get("/app/from-property");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("system-property", WagiFilterContract.env(response.body()).get("SOURCE"));
    }

    @Test
    void theWebXmlRouteServesBesideThem() throws Exception {
        assertEquals("Hello, world!\n", get("/app/hello").body());
        assertTrue(container.log().contains("serves 3 route(s)"), container.log());
    }

    @Test
    void theLogSaysMicroProfileConfigIsAbsentAndWhatToAdd() {
        String log = container.log();
        assertTrue(log.contains("MicroProfile Config is not on the webapp's class path"), log);
        assertTrue(log.contains("META-INF/microprofile-config.properties"), log);
        assertTrue(log.contains("io.smallrye.config:smallrye-config"), log);
    }

    @Override
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(container.uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
