package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-in WAR as a new user meets it, set up as the Docker image sets it up (deployed as ROOT,
 * the modules.toml named by the environment variable the image's Dockerfile sets): a wagi
 * modules.toml that reuses all three demo paths works unchanged, its routes replacing the demo's.
 */
abstract class DropInContract extends ContainerContract {

    private static final Path DOCKERFILE = Path.of("docker/Dockerfile");


    abstract ServletContainer newContainer();

    /** What the image's Dockerfile does: {@code COPY ... webapps/NAME.war} and {@code ENV VARIABLE=...modules.toml}. */
    private static String dockerfile(String regex) throws IOException {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(Files.readString(DOCKERFILE));
        assertTrue(m.find(), "docker/Dockerfile has " + regex);
        return m.group(1);
    }

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        String webappName = dockerfile("^COPY target/wagi\\.war \\S+/webapps/(\\w+)\\.war$");
        String tomlVariable = dockerfile("^ENV (WAGI_\\w+)=/modules/modules\\.toml$");
        assertEquals("ROOT", webappName);
        Path modules = work.resolve("modules"); // the image's /modules volume
        TestWebapps.copyModules(modules, "status", "cookies", "crlf");
        Files.writeString(modules.resolve("modules.toml"), """
                default_host = "localhost:3000"

                [[module]]
                route = "/hello"
                module = "wasm/status.wasm"

                [[module]]
                route = "/echo"
                module = "wasm/cookies.wasm"

                [[module]]
                route = "/env/..."
                module = "wasm/crlf.wasm"
                """);
        container = newContainer()
                .deploy("", TestWebapps.war())
                .env(tomlVariable, modules.resolve("modules.toml").toString())
                .start();
    }

    @Test
    void aWagiModulesTomlReusingTheDemoPathsServesItsOwnModules() throws Exception {
        HttpResponse<String> hello = get("/hello");
        assertEquals(404, hello.statusCode(), "the toml's status.wasm, not the demo's hello.wasm");
        assertEquals("not here\n", hello.body());
        assertEquals("cookies\n", get("/echo").body());
        assertEquals("Oh hi world\r\n", get("/env/anything").body());
        assertTrue(container.awaitLog("demo route(s) of the WAR replaced by your own: ", Duration.ofSeconds(10)), container.logTail());
        String line = container.log().lines().filter(l -> l.contains("demo route(s) of the WAR replaced")).findFirst().orElseThrow();
        for (String replaced : new String[] {"/hello (by ", "/echo (by ", "/env/... (by ", "modules.toml"}) {
            assertTrue(line.contains(replaced), "one line names every replaced route: " + replaced + " in " + line);
        }
    }
}
