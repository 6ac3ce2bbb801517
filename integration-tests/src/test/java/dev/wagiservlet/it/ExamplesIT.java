package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServletContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hello handlers of examples/ (C, Rust, AssemblyScript, Go, Zig; the committed hello.wasm of
 * each), served by the drop-in WAR in real Tomcat 11 and Jetty 12 the way the Docker images serve
 * them: the WAR at the root context, and examples/modules.toml named by the environment variable
 * WAGI_MODULES_TOML. Go and Zig end with proc_exit(0), which must be a success. The guides in
 * docs/guides show the sources of examples/ verbatim.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesIT {

    /** examples/ folder name to the name each handler greets with. */
    private static final Map<String, String> LANGUAGES = new LinkedHashMap<>();

    static {
        LANGUAGES.put("c", "C");
        LANGUAGES.put("rust", "Rust");
        LANGUAGES.put("assemblyscript", "AssemblyScript");
        LANGUAGES.put("go", "Go");
        LANGUAGES.put("zig", "Zig");
    }

    private static final List<String> SERVERS = List.of("tomcat", "jetty");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, ServletContainer> containers = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        // examples/ is a ready modules folder: its modules.toml mounts each hello.wasm at /lang/<lang>,
        // relative to the toml's folder, as when the folder is mounted at /modules of the Docker images.
        Path toml = examplesDirectory().resolve("modules.toml");
        assertTrue(Files.isRegularFile(toml), "no " + toml);
        for (String lang : LANGUAGES.keySet()) {
            Path wasm = examplesDirectory().resolve(lang).resolve("hello.wasm");
            assertTrue(Files.isRegularFile(wasm), "no " + wasm + "; build it with examples/" + lang + "/build.sh");
        }
        for (String server : SERVERS) {
            ServletContainer container = ServletContainer.of(server)
                    .deploy("", property("wagi.war"))
                    .env("WAGI_MODULES_TOML", toml.toString());
            containers.put(server, container);
            container.start();
        }
    }

    @AfterAll
    void stop() {
        containers.values().forEach(ServletContainer::close);
    }

    static Stream<Arguments> serversAndLanguages() {
        return SERVERS.stream().flatMap(server -> LANGUAGES.keySet().stream().map(lang -> Arguments.of(server, lang)));
    }

    @ParameterizedTest(name = "{0}: POST /lang/{1}")
    @MethodSource("serversAndLanguages")
    void postGetsTheGreetingMethodArgvAndBodyLength(String server, String lang) throws Exception {
        byte[] body = new byte[100_003]; // binary, and more than one 4 KiB read of each handler
        new Random(lang.hashCode()).nextBytes(body);
        HttpResponse<String> response = send(server, HttpRequest.newBuilder(uri(server, "/lang/" + lang + "?a=1&b=two"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertEquals(200, response.statusCode(), () -> server + " /lang/" + lang + ": " + response.body() + log(server));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                () -> "Content-Type: " + response.headers().firstValue("Content-Type"));
        assertEquals("""
                Hello from %s!
                REQUEST_METHOD=POST
                QUERY_STRING=a=1&b=two
                argv[0]=/lang/%s
                argv[1]=a=1
                argv[2]=b=two
                body_len=%d
                """.formatted(LANGUAGES.get(lang), lang, body.length), response.body());
    }

    @ParameterizedTest(name = "{0}: GET /lang/{1}")
    @MethodSource("serversAndLanguages")
    void getWithoutBodyOrQuery(String server, String lang) throws Exception {
        HttpResponse<String> response = send(server, HttpRequest.newBuilder(uri(server, "/lang/" + lang)).GET());

        assertEquals(200, response.statusCode(), () -> server + " /lang/" + lang + ": " + response.body() + log(server));
        assertEquals("""
                Hello from %s!
                REQUEST_METHOD=GET
                QUERY_STRING=
                argv[0]=/lang/%s
                body_len=0
                """.formatted(LANGUAGES.get(lang), lang), response.body());
    }

    /** The landing page is what docker/k8s/wagi.yaml's probes ask for: 200, and it lists every example. */
    @ParameterizedTest(name = "{0}: GET /")
    @ValueSource(strings = {"tomcat", "jetty"})
    void landingPageAnswersAndListsTheExamples(String server) throws Exception {
        HttpResponse<String> response = send(server, HttpRequest.newBuilder(uri(server, "/")).GET());

        assertEquals(200, response.statusCode(), () -> server + " /: " + response.body() + log(server));
        for (String lang : LANGUAGES.keySet()) {
            assertTrue(response.body().contains(">/lang/" + lang + "<"), () -> "landing page lacks /lang/" + lang
                    + ":\n" + response.body());
        }
    }

    /** docs/guides/LANG.md shows the example's complete source, so the guide and the tested module agree. */
    @ParameterizedTest(name = "docs/guides/{0}.md shows examples/{0}")
    @ValueSource(strings = {"c", "rust", "assemblyscript", "go", "zig"})
    void guideShowsTheExampleSource(String lang) throws Exception {
        Map<String, String> sources = Map.of("c", "c/hello.c", "rust", "rust/hello.rs",
                "assemblyscript", "assemblyscript/assembly/index.ts", "go", "go/hello.go", "zig", "zig/hello.zig");
        Path guide = examplesDirectory().resolveSibling("docs").resolve("guides").resolve(lang + ".md");
        String source = Files.readString(examplesDirectory().resolve(sources.get(lang)));
        assertTrue(Files.readString(guide).contains("\n" + source + "```\n"),
                () -> guide + " does not show " + sources.get(lang) + " as it is; copy the source into its code block");
    }

    // ----------------------------------------------------------------------------------------------

    private HttpResponse<String> send(String server, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String server, String pathAndQuery) {
        return containers.get(server).uri(pathAndQuery);
    }

    private String log(String server) {
        return "\n" + containers.get(server).logTail();
    }

    /** examples/ of the checkout: the system property wagi.examples.dir, else next to wagi.modules.dir (modules/wasm). */
    private static Path examplesDirectory() {
        String configured = System.getProperty("wagi.examples.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return property("wagi.modules.dir").resolve("../../examples").normalize();
    }

    private static Path property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run the tests with mvn verify");
        }
        return Path.of(value);
    }
}
