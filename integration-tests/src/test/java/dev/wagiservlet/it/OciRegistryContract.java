package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oci:} modules pulled from a real registry (Debian's docker-registry on loopback, plain HTTP
 * allowed by {@code oci-insecure-registries}): by tag and by digest from a modules.toml, with credentials
 * from a Docker config.json ({@code DOCKER_CONFIG}), refused with wrong or no credentials; then, with the
 * registry stopped, a restarted container serves the cached copy and a reference not in the cache fails
 * its deployment naming the reference and the key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class OciRegistryContract {

    private final HttpClient http = HttpClient.newHttpClient();
    private Path work;
    private OciRegistry open;
    private OciRegistry secured;
    private ServletContainer container;
    private String helloDigest;
    private Path openWebapp;

    abstract ServletContainer newContainer();

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        this.work = work;
        byte[] hello = Files.readAllBytes(TestWebapps.module("hello"));
        open = OciRegistry.start(work.resolve("registry-open"), false);
        secured = OciRegistry.start(work.resolve("registry-secured"), true);
        helloDigest = open.push("wagi/hello", "1", hello);
        secured.push("wagi/secret", "1", hello);

        Path toml = Files.writeString(work.resolve("modules.toml"), """
                [[module]]
                route = "/hello"
                module = "oci:%1$s/wagi/hello:1"

                [[module]]
                route = "/pinned"
                module = "oci://%1$s/wagi/hello@%2$s"
                """.formatted(open.host(), helloDigest));
        Path goodConfig = secured.dockerConfig(work.resolve("docker"), OciRegistry.PASSWORD);
        Path wrongConfig = secured.dockerConfig(work.resolve("docker-wrong"), "not-the-password");
        container = newContainer()
                .env("DOCKER_CONFIG", goodConfig.getParent().toString())
                .deploy("/open", openWebapp = webapp("open", "modules-toml", toml.toString()))
                .deploy("/auth", webapp("auth", "routes.s.route", "/secret", "routes.s.module", secretReference()))
                .deploy("/wrongauth", webapp("wrongauth", "routes.s.route", "/secret", "routes.s.module", secretReference(),
                        "oci-docker-config", wrongConfig.toString()))
                .deploy("/noauth", webapp("noauth", "routes.s.route", "/secret", "routes.s.module", secretReference(),
                        "oci-docker-config", "off"))
                .start();
    }

    private String secretReference() {
        return "oci:" + secured.host() + "/wagi/secret:1";
    }

    /** A webapp with the given init-params, plain HTTP for both registries and its own module cache. */
    private Path webapp(String name, String... params) throws IOException {
        Path dir = work.resolve("webapps").resolve(name);
        List<String[]> list = new ArrayList<>();
        list.add(new String[] {"oci-insecure-registries", open.host() + ", " + secured.host()});
        list.add(new String[] {"module-cache-dir", work.resolve("cache-" + name).toString()});
        for (int i = 0; i < params.length; i += 2) {
            list.add(new String[] {params[i], params[i + 1]});
        }
        TestWebapps.webapp(dir, list, "");
        TestWebapps.addLibrary(dir);
        return dir;
    }

    @AfterAll
    void stop() {
        if (container != null) {
            container.close();
        }
        if (open != null) {
            open.close();
        }
        if (secured != null) {
            secured.close();
        }
    }

    @Test
    @Order(1)
    void servesAModulePulledByTagAndByDigest() throws Exception {
        assertServes("/open/hello");
        assertServes("/open/pinned");
        assertLogged("Pulled oci:" + open.host() + "/wagi/hello:1");
    }

    @Test
    @Order(2)
    void credentialsFromTheDockerConfig() throws Exception {
        assertServes("/auth/secret");
    }

    @Test
    @Order(3)
    void wrongCredentialsFailTheDeploymentClearly() throws Exception {
        assertLogged("web.xml filter 'wagi', route 's', key 'module': cannot pull " + secretReference() + ": http://"
                + secured.host() + " refused access to wagi/secret (HTTP 401) with the credentials of user 'wagi'");
        assertNotServed("/wrongauth/secret");
    }

    @Test
    @Order(4)
    void noCredentialsFailTheDeploymentClearly() throws Exception {
        assertLogged("web.xml filter 'wagi', route 's', key 'module': cannot pull " + secretReference() + ": http://"
                + secured.host() + " asks for credentials (Basic) to read wagi/secret and none are configured");
        assertNotServed("/noauth/secret");
    }

    @Test
    @Order(5)
    void withTheRegistryDownTheCachedCopyServesAndAnUncachedReferenceFails() throws Exception {
        container.close();
        open.close();
        String gone = "oci:" + open.host() + "/wagi/hello:2";
        container = newContainer()
                .deploy("/open", openWebapp) // the same module cache
                .deploy("/gone", webapp("gone", "routes.g.route", "/g", "routes.g.module", gone))
                .start();
        assertServes("/open/hello");
        assertServes("/open/pinned");
        assertLogged("serving the cached copy");
        assertLogged("web.xml filter 'wagi', route 'g', key 'module': cannot pull " + gone + ": cannot reach http://" + open.host());
        assertLogged("and it is not in the module cache");
        assertNotServed("/gone/g");
    }

    private void assertServes(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(container.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + "\n" + container.logTail());
        assertEquals("Hello, world!\n", response.body());
    }

    private void assertLogged(String text) {
        assertTrue(container.awaitLog(text, Duration.ofSeconds(10)), "log lacks: " + text + "\n" + container.log());
    }

    private void assertNotServed(String path) throws Exception {
        int status = http.send(HttpRequest.newBuilder(container.uri(path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        assertNotEquals(200, status, path + " must not be served by a webapp that failed to deploy");
        assertTrue(status == 404 || status == 503, path + " gave " + status);
    }
}
