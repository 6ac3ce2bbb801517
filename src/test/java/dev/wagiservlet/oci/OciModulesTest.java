package dev.wagiservlet.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wagiservlet.cache.Sha256;
import dev.wagiservlet.config.ConfigException;
import dev.wagiservlet.config.OciReference;
import dev.wagiservlet.config.OciSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from a small registry in the test JVM, which can ask for Basic or Bearer authentication,
 * corrupt its blob or go away; a real registry is in the integration tests.
 */
class OciModulesTest {

    private static final String WHERE = "test, route 'r', key 'module'";
    private static final byte[] MODULE = "\0asm\1\0\0\0 pretend module".getBytes(StandardCharsets.ISO_8859_1);
    private static final String LAYER = "sha256:" + Sha256.hex(MODULE);
    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.wasm.config.v1+json\",\"digest\":\"sha256:" + "0".repeat(64) + "\",\"size\":2},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.wasm.content.layer.v1+wasm\",\"digest\":\"" + LAYER + "\",\"size\":"
            + MODULE.length + "}]}").getBytes(StandardCharsets.UTF_8);
    private static final String MANIFEST_DIGEST = "sha256:" + Sha256.hex(MANIFEST);

    @TempDir
    Path cache;
    @TempDir
    Path home;

    private HttpServer server;
    private String registry;
    /** "none", "basic" or "bearer". */
    private volatile String auth = "none";
    private volatile boolean corrupt;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        registry = "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        requests.add(path + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())
                + " " + authorization);
        if (path.equals("/token")) {
            String query = exchange.getRequestURI().getRawQuery();
            boolean scoped = query.contains("scope=repository%3Awagi%2Fhello%3Apull") && query.contains("service=test");
            boolean allowed = authorization == null ? auth.equals("bearer") : authorization.equals(new Credentials("u", "p").basic());
            respond(exchange, scoped && allowed ? 200 : 401, "{\"token\":\"T0K3N\"}".getBytes(StandardCharsets.UTF_8), "application/json");
            return;
        }
        boolean authorized = switch (auth) {
            case "basic" -> new Credentials("u", "p").basic().equals(authorization);
            case "bearer", "bearer-with-credentials" -> "Bearer T0K3N".equals(authorization);
            default -> true;
        };
        if (!authorized) {
            exchange.getResponseHeaders().add("WWW-Authenticate", auth.equals("basic") ? "Basic realm=\"test\""
                    : "Bearer realm=\"http://" + registry + "/token\",service=\"test\",scope=\"repository:wagi/hello:pull\"");
            respond(exchange, 401, new byte[0], "application/json");
        } else if (path.equals("/v2/wagi/hello/manifests/1") || path.equals("/v2/wagi/hello/manifests/" + MANIFEST_DIGEST)
                || path.equals("/v2/wagi/hello/manifests/sha256:" + "1".repeat(64))) { // the last one: a lying registry
            respond(exchange, 200, MANIFEST, "application/vnd.oci.image.manifest.v1+json");
        } else if (path.equals("/v2/wagi/hello/blobs/" + LAYER)) {
            // as registries on object storage do: the blob comes from elsewhere
            exchange.getResponseHeaders().add("Location", "/storage/blob");
            respond(exchange, 307, new byte[0], "text/plain");
        } else if (path.equals("/storage/blob")) {
            byte[] body = MODULE.clone();
            if (corrupt) {
                body[body.length - 1] ^= 1;
            }
            respond(exchange, 200, body, "application/octet-stream");
        } else {
            respond(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private OciModules modules(Optional<String> username, Optional<String> password) {
        OciSettings settings = new OciSettings(List.of(registry), username, password, Optional.empty());
        return new OciModules(cache, settings, Map.of("DOCKER_CONFIG", home.toString()), home.toString());
    }

    private OciModules modules() {
        return modules(Optional.empty(), Optional.empty());
    }

    private OciReference hello() {
        return OciReference.parse("oci:" + registry + "/wagi/hello:1");
    }

    @Test
    void pullsTheWasmLayerAndKeepsItByDigest() throws IOException {
        Path file = modules().fetch(hello(), Optional.empty(), WHERE);
        assertEquals(cache.resolve(LAYER.substring(7) + ".wasm"), file);
        assertArrayEquals(MODULE, Files.readAllBytes(file));
        assertTrue(requests.stream().anyMatch(r -> r.startsWith("/storage/blob null")), requests.toString());
    }

    @Test
    void aLayerAlreadyCachedIsNotDownloadedAgain() {
        modules().fetch(hello(), Optional.empty(), WHERE);
        requests.clear();
        modules().fetch(hello(), Optional.empty(), WHERE);
        assertEquals(1, requests.size(), requests.toString()); // the manifest only: the tag may have moved
    }

    @Test
    void registryDownServesTheCachedCopy() {
        Path first = modules().fetch(hello(), Optional.empty(), WHERE);
        server.stop(0);
        assertEquals(first, modules().fetch(hello(), Optional.empty(), WHERE));
    }

    @Test
    void registryDownWithoutACachedCopyFailsNamingKeyAndReference() {
        server.stop(0);
        ConfigException e = assertThrows(ConfigException.class, () -> modules().fetch(hello(), Optional.empty(), WHERE));
        assertTrue(e.getMessage().startsWith(WHERE + ": cannot pull " + hello()), e.getMessage());
        assertTrue(e.getMessage().contains("not in the module cache"), e.getMessage());
    }

    @Test
    void aDigestInTheCacheNeedsNoRegistry() {
        OciReference pinned = OciReference.parse("oci:" + registry + "/wagi/hello@" + MANIFEST_DIGEST);
        Path file = modules().fetch(pinned, Optional.empty(), WHERE);
        server.stop(0);
        requests.clear();
        assertEquals(file, modules().fetch(pinned, Optional.empty(), WHERE));
        assertEquals(List.of(), requests);
    }

    @Test
    void aManifestOtherThanTheDigestFails() {
        String other = "sha256:" + "1".repeat(64);
        OciReference wrong = OciReference.parse("oci:" + registry + "/wagi/hello:1@" + other);
        ConfigException e = assertThrows(ConfigException.class, () -> modules().fetch(wrong, Optional.empty(), WHERE));
        assertTrue(e.getMessage().startsWith(WHERE) && e.getMessage().contains("digest mismatch"), e.getMessage());
    }

    @Test
    void aCorruptLayerFails() {
        corrupt = true;
        ConfigException e = assertThrows(ConfigException.class, () -> modules().fetch(hello(), Optional.empty(), WHERE));
        assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
        assertTrue(!Files.exists(cache.resolve(LAYER.substring(7) + ".wasm")));
    }

    @Test
    void theRoutesSha256IsChecked() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> modules().fetch(hello(), Optional.of("f".repeat(64)), WHERE));
        assertTrue(e.getMessage().contains("not the configured"), e.getMessage());
        assertEquals(cache.resolve(LAYER.substring(7) + ".wasm"), modules().fetch(hello(), Optional.of(LAYER.substring(7)), WHERE));
    }

    @Test
    void unknownTagFailsWithoutFallingBack() {
        modules().fetch(hello(), Optional.empty(), WHERE);
        OciReference two = OciReference.parse("oci:" + registry + "/wagi/hello:2");
        ConfigException e = assertThrows(ConfigException.class, () -> modules().fetch(two, Optional.empty(), WHERE));
        assertTrue(e.getMessage().contains("404"), e.getMessage());
    }

    @Test
    void basicAuthWithConfiguredCredentials() {
        auth = "basic";
        ConfigException e = assertThrows(ConfigException.class, () -> modules().fetch(hello(), Optional.empty(), WHERE));
        assertTrue(e.getMessage().contains("none are configured"), e.getMessage());
        assertTrue(Files.exists(modules(Optional.of("u"), Optional.of("p")).fetch(hello(), Optional.empty(), WHERE)));
        ConfigException wrong = assertThrows(ConfigException.class,
                () -> modules(Optional.of("u"), Optional.of("wrong")).fetch(hello(), Optional.empty(), WHERE));
        assertTrue(wrong.getMessage().contains("refused access") && wrong.getMessage().contains("'u'"), wrong.getMessage());
    }

    @Test
    void basicAuthFromTheDockerConfig() throws IOException {
        auth = "basic";
        Files.writeString(home.resolve("config.json"), "{\"auths\":{\"" + registry + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        // the Docker config's entry wins over the general oci-username/oci-password
        assertTrue(Files.exists(modules(Optional.of("x"), Optional.of("y")).fetch(hello(), Optional.empty(), WHERE)));
    }

    @Test
    void anonymousBearerToken() {
        auth = "bearer";
        assertTrue(Files.exists(modules().fetch(hello(), Optional.empty(), WHERE)));
        assertTrue(requests.stream().anyMatch(r -> r.startsWith("/token?") && r.endsWith(" null")), requests.toString());
        // the token goes to the registry, not to the blob storage it redirects to
        assertTrue(requests.stream().anyMatch(r -> r.equals("/v2/wagi/hello/blobs/" + LAYER + " Bearer T0K3N")), requests.toString());
    }

    @Test
    void bearerTokenForCredentials() {
        auth = "bearer-with-credentials";
        assertTrue(Files.exists(modules(Optional.of("u"), Optional.of("p")).fetch(hello(), Optional.empty(), WHERE)));
        ConfigException e = assertThrows(ConfigException.class, () -> modules().fetch(hello(), Optional.empty(), WHERE));
        assertTrue(e.getMessage().contains("token service") && e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void httpsUnlessListedAsInsecure() {
        server.stop(0); // (a TLS handshake with a plain HTTP server would only end at the connect timeout)
        OciSettings settings = new OciSettings(List.of(), Optional.empty(), Optional.empty(), Optional.of("off"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new OciModules(cache, settings, Map.of(), home.toString()).fetch(hello(), Optional.empty(), WHERE));
        assertTrue(e.getMessage().contains("cannot reach https://" + registry), e.getMessage());
    }
}
