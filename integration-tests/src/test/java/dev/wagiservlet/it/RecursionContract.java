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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deep recursion ({@code module_stack_size}) in a container whose own threads have a small stack
 * ({@code -Xss512k}): {@code deep.wasm} recurses as deep as its query asks, on Chicory and on
 * wasmtime. 20,000 levels (more than wasmtime's default wasm stack gives this module, about
 * 16,300) are served on both engines, many at once; a recursion without end is a 500 on both, the
 * server and its other routes serve on. Before modules ran on threads of their own, Chicory's
 * depth was what was left of the request thread's stack, and wasmtime's native code ran past the
 * request thread's stack and crashed the JVM.
 */
abstract class RecursionContract extends ContainerContract {

    private static final int DEPTH = 20_000;


    abstract ServletContainer newContainer();

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "deep", "hello");
        Files.writeString(modules.resolve("modules.toml"), """
                [[module]]
                route = "/deep"
                module = "wasm/deep.wasm"

                [[module]]
                route = "/native/deep"
                module = "wasm/deep.wasm"
                engine = "wasmtime"

                [[module]]
                route = "/hello"
                module = "wasm/hello.wasm"
                """);
        container = newContainer()
                .deploy("/wagi", TestWebapps.war())
                .env("WAGI_MODULES_TOML", modules.resolve("modules.toml").toString())
                .jvmOption("-Xss512k")
                .start();
    }

    @Test
    void deepRecursionIsServedOnBothEnginesManyAtOnce() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            for (String route : List.of("/wagi/deep", "/wagi/native/deep")) {
                responses.add(http.sendAsync(HttpRequest.newBuilder(container.uri(route + "?" + DEPTH)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> r = response.join();
            assertEquals(200, r.statusCode(), r.uri() + ": " + r.body());
            assertEquals("reached " + DEPTH + "\n", r.body(), r.uri().toString());
        }
    }

    @Test
    void endlessRecursionIsA500AndTheServerServesOn() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> endless = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (String route : List.of("/wagi/deep", "/wagi/native/deep")) {
                endless.add(http.sendAsync(HttpRequest.newBuilder(container.uri(route + "?2000000000")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
        }
        HttpResponse<String> bystander = get("/wagi/hello");
        for (CompletableFuture<HttpResponse<String>> response : endless) {
            assertEquals(500, response.join().statusCode(), response.join().uri().toString());
        }
        assertEquals(200, bystander.statusCode());
        assertTrue(container.awaitLog("[/deep] 500: trap", Duration.ofSeconds(10)), "the log names the route and the trap");
        assertTrue(container.awaitLog("[/native/deep] 500: trap", Duration.ofSeconds(10)));
        assertTrue(container.isAlive(), "the JVM survived wasmtime's stack overflow");
        assertEquals("reached 10\n", get("/wagi/native/deep?10").body());
        assertEquals("reached 10\n", get("/wagi/deep?10").body());
        assertEquals("Hello, world!\n", get("/wagi/hello").body());
    }
}
