package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes on the wasmtime engine ({@code engine = "wasmtime"}) in a real container: the body
 * through stdin, the environment, a timeout, the memory cap and a trap answer as on Chicory. The
 * WAR is deployed twice, so two webapp class loaders each load wasmtime-java's native library
 * (the second gets its own copy of the file: one library file binds to one class loader).
 */
abstract class WasmtimeContract extends ContainerContract {

    private Path nativeDir;

    abstract ServletContainer newContainer();

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        Path modules = work.resolve("modules");
        nativeDir = work.resolve("native");
        TestWebapps.copyModules(modules, "hello", "echo", "env", "loop", "bigmem", "trap", "oob");
        StringBuilder toml = new StringBuilder();
        for (String[] route : List.of(
                new String[] {"/hello", "hello", ""},
                new String[] {"/echo", "echo", ""},
                new String[] {"/env", "env", "environment = { GREETING = \"hi\" }\n"},
                new String[] {"/loop", "loop", "timeout = \"1s\"\n"},
                new String[] {"/bigmem", "bigmem", "max_memory = \"8MiB\"\n"},
                new String[] {"/trap", "trap", ""},
                new String[] {"/oob", "oob", ""})) {
            toml.append("[[module]]\nroute = \"").append(route[0]).append("\"\nmodule = \"wasm/").append(route[1])
                    .append(".wasm\"\nengine = \"wasmtime\"\n").append(route[2]).append('\n');
        }
        toml.append("[[module]]\nroute = \"/java-hello\"\nmodule = \"wasm/hello.wasm\"\nengine = \"chicory\"\n");
        Files.writeString(modules.resolve("modules.toml"), toml.toString());
        container = newContainer()
                .deploy("/wagi", TestWebapps.war())
                .deploy("/wagi2", TestWebapps.war())
                .env("WAGI_MODULES_TOML", modules.resolve("modules.toml").toString())
                .systemProperty("wagi-servlet.native-dir", nativeDir.toString())
                .start();
    }

    @Test
    void helloEchoAndEnvOnWasmtime() throws Exception {
        for (String context : List.of("/wagi", "/wagi2")) {
            HttpResponse<String> hello = get(context + "/hello");
            assertEquals(200, hello.statusCode(), context);
            assertEquals("Hello, world!\n", hello.body(), context);
            HttpResponse<String> echo = http.send(HttpRequest.newBuilder(container.uri(context + "/echo"))
                    .header("Content-Type", "text/x-test").POST(HttpRequest.BodyPublishers.ofString("a body through stdin")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, echo.statusCode(), context);
            assertEquals("a body through stdin", echo.body(), context);
            assertEquals("text/x-test", echo.headers().firstValue("Content-Type").orElseThrow());
            HttpResponse<String> env = get(context + "/env?x=1");
            assertEquals(200, env.statusCode(), context);
            assertTrue(env.body().contains("GREETING=hi"), env.body());
            assertTrue(env.body().contains("QUERY_STRING=x=1"), env.body());
            assertEquals("Hello, world!\n", get(context + "/java-hello").body(), "a Chicory route beside them");
        }
        assertTrue(container.awaitLog("ready on wasmtime", Duration.ofSeconds(10)), "the log names the route's engine");
    }

    @Test
    void aLoopTimesOutWith504() throws Exception {
        long start = System.nanoTime();
        assertEquals(504, get("/wagi/loop").statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "the timeout is 1 s");
        assertTrue(container.awaitLog("[/loop] 504", Duration.ofSeconds(10)));
        assertEquals(200, get("/wagi/hello").statusCode());
    }

    @Test
    void growingPastTheCapAndTrapsAre500() throws Exception {
        for (String route : List.of("/bigmem", "/trap", "/oob")) {
            for (String context : List.of("/wagi", "/wagi2")) {
                assertEquals(500, get(context + route).statusCode(), context + route);
            }
            assertTrue(container.awaitLog("[" + route + "] 500", Duration.ofSeconds(10)), route);
        }
        assertEquals(200, get("/wagi/hello").statusCode());
        assertEquals(200, get("/wagi2/hello").statusCode());
    }

    @Test
    void theNativeLibraryIsExtractedOnceAndCopiedForTheSecondWebapp() throws Exception {
        get("/wagi/hello");
        get("/wagi2/hello");
        try (Stream<Path> files = Files.walk(nativeDir)) {
            List<Path> libraries = files.filter(f -> f.getFileName().toString().startsWith("libwasmtime_jni")
                    && !f.toString().endsWith(".part")).toList();
            assertEquals(2, libraries.size(), "one file per class loader that loaded it: " + libraries);
        }
    }
}
