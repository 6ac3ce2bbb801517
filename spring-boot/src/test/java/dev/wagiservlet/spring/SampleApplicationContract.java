package dev.wagiservlet.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sample application ({@code sample.SampleApplication}) started as a real Spring Boot
 * application in a process of its own, on a free loopback port, with the starter on its class path:
 * wasm routes from application.yml, a profile's file, an environment variable and a system property
 * serve beside a {@code @RestController}; the filter's meters and health show through Actuator.
 * One subclass per embedded server, each with its own class path (built by the dependency plugin).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SampleApplicationContract {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Process process;
    private Path log;
    private int port;

    /** "tomcat" or "jetty": the class path file, and how the application's log names its server. */
    abstract String server();

    /** What Spring Boot logs once its embedded server listens, e.g. "Tomcat started on port". */
    abstract String startedLine();

    /** Whether the application shows a {@code wagi} health component (Spring Boot 4's health API). */
    boolean hasHealthContributor() {
        return true;
    }

    @BeforeAll
    void start() throws Exception {
        port = freePort();
        Path work = Files.createDirectories(Path.of(property("sample.work.dir")));
        log = work.resolve(server() + "-" + port + ".log");
        String classpath = property("sample.classes") + File.pathSeparator
                + Files.readString(Path.of(property("sample.classpath.dir")).resolve(server() + ".txt")).trim();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dwagi.routes.env.environment.WHAT=property",
                "-cp", classpath,
                "dev.wagiservlet.spring.sample.SampleApplication",
                "--server.port=" + port, "--server.address=127.0.0.1", "--spring.profiles.active=extra"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("WAGI_") || name.startsWith("SPRING_"));
        env.put("WAGI_ROUTES_ENV_ENVIRONMENT_WHO", "variable");
        env.put("WAGI_ROUTES_ENV_ENVIRONMENT_WHAT", "variable");
        env.put("WAGI_ROUTES_FROMENV_ROUTE", "/from-env");
        env.put("WAGI_ROUTES_FROMENV_MODULE", "classpath:wasm/hello.wasm");
        process = builder.start();
        process.getOutputStream().close();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!logText().contains("Started SampleApplication")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The sample application exited with " + process.exitValue() + ":\n" + logText());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The sample application did not start in " + START_TIMEOUT + ":\n" + logText());
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void runsOnTheEmbeddedServerOfItsClassPath() {
        assertTrue(logText().contains(startedLine()), logText());
        assertTrue(logText().contains("WAGI filter 'wagi' serves 4 route(s)"), logText());
    }

    @Test
    void wasmRoutesServeBesideTheController() throws Exception {
        assertEquals("Hello, world!\n", get("/hello").body());
        HttpResponse<String> greeting = get("/api/greeting");
        assertEquals(200, greeting.statusCode());
        assertTrue(greeting.body().contains("hello from Spring"), greeting.body());
        assertEquals(404, get("/no-such-route").statusCode(), "a path no route matches goes on to Spring MVC");
    }

    @Test
    void routesFromAProfileAnEnvironmentVariableAndTheHealthRoute() throws Exception {
        assertEquals("Hello, world!\n", get("/profiled").body(), "application-extra.yml");
        assertEquals("Hello, world!\n", get("/from-env").body(), "WAGI_ROUTES_FROMENV_*");
        assertEquals("OK", get("/wagi-health").body(), "wagi.health-route");
    }

    @Test
    void environmentOfAModuleFromEverySourceWithItsCaseKept() throws Exception {
        HttpResponse<String> response = get("/env/x?a=1");
        assertEquals(200, response.statusCode(), response.body());
        Map<String, String> env = env(response.body());
        assertEquals("from application.yml", env.get("GREETING"), response.body());
        assertEquals("variable", env.get("WHO"), "a variable over application.yml, its name's case kept: " + response.body());
        assertEquals("property", env.get("WHAT"), "a system property over a variable: " + response.body());
        assertFalse(env.containsKey("who"), response.body());
        assertEquals("/env", env.get("SCRIPT_NAME"));
        assertEquals(405, http.send(HttpRequest.newBuilder(uri("/env/x")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "methods: [GET, POST]");
    }

    @Test
    void metricsAndHealthThroughActuator() throws Exception {
        get("/hello");
        HttpResponse<String> requests = get("/actuator/metrics/wagi.requests");
        assertEquals(200, requests.statusCode(), requests.body());
        assertTrue(requests.body().contains("\"route\""), "tagged by route: " + requests.body());
        HttpResponse<String> health = get("/actuator/health");
        assertEquals(200, health.statusCode(), health.body());
        int wagi = health.body().indexOf("\"wagi\":{");
        if (!hasHealthContributor()) {
            assertEquals(-1, wagi, health.body());
            return;
        }
        assertTrue(wagi >= 0, health.body());
        String component = health.body().substring(wagi, health.body().indexOf("}}", wagi));
        assertTrue(component.contains("\"status\":\"UP\""), component);
        assertTrue(component.contains("\"/hello\""), component);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The env module's {@code NAME=value} lines. */
    private static Map<String, String> env(String body) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("argv[") && !line.startsWith("body_len=")) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    private String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set; run the tests with mvn verify");
        }
        return value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
