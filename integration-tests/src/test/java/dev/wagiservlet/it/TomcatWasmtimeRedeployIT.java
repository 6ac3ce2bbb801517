package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServerJmx;
import dev.wagiservlet.it.support.ServletContainer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAR whose routes run on wasmtime, undeployed and deployed again, and reloaded, in one Tomcat:
 * each generation's class loader loads wasmtime-java's JNI library (a library file binds to one
 * class loader; a generation whose predecessor's loader is still alive gets its own copy), and
 * every generation serves, traps and times out as the first did, and Tomcat finds no leak.
 */
class TomcatWasmtimeRedeployIT {

    private static final int REDEPLOYS = 6;
    private static final int RELOADS = 2;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyGenerationRunsOnWasmtime(@TempDir Path work) throws Exception {
        Path modules = work.resolve("modules");
        Path nativeDir = work.resolve("native");
        TestWebapps.copyModules(modules, "hello", "trap", "loop");
        Files.writeString(modules.resolve("modules.toml"), """
                [[module]]
                route = "/native-hello"
                module = "wasm/hello.wasm"
                engine = "wasmtime"

                [[module]]
                route = "/trap"
                module = "wasm/trap.wasm"
                engine = "wasmtime"

                [[module]]
                route = "/loop"
                module = "wasm/loop.wasm"
                engine = "wasmtime"
                timeout = "200ms"
                """);
        try (ServletContainer tomcat = ServletContainer.tomcat()
                .enableJmx()
                .jvmOption("-Xmx512m")
                .systemProperty("wagi-servlet.native-dir", nativeDir.toString())
                .deploy("/wagi", TestWebapps.war())
                .env("WAGI_MODULES_TOML", modules.resolve("modules.toml").toString())
                .start();
             ServerJmx jmx = tomcat.jmx()) {
            TomcatManagement tomcatJmx = new TomcatManagement(jmx, tomcat.baseDirectory().resolve("webapps"));
            Path parked = work.resolve("parked/wagi.war");
            exercise(tomcat, 0);
            for (int i = 1; i <= REDEPLOYS; i++) {
                tomcatJmx.undeployWar("/wagi", parked, STEP_TIMEOUT);
                tomcatJmx.deployWar("/wagi", parked, STEP_TIMEOUT);
                exercise(tomcat, i);
            }
            for (int i = 1; i <= RELOADS; i++) {
                tomcatJmx.reload("/wagi");
                exercise(tomcat, REDEPLOYS + i);
            }
            long copies;
            try (Stream<Path> files = Files.walk(nativeDir)) {
                copies = files.filter(f -> f.getFileName().toString().startsWith("libwasmtime_jni") && !f.toString().endsWith(".part"))
                        .count();
            }
            long loads = tomcat.log().lines().filter(l -> l.contains("Loaded the wasmtime library from")).distinct().count(); // console and file
            System.out.printf("[wasmtime redeploy] %d generations, %d library loads, %d library file(s)%n",
                    REDEPLOYS + RELOADS + 1, loads, copies);
            assertEquals(REDEPLOYS + RELOADS + 1, loads, "each generation's class loader loads the library once");
            assertEquals(List.of(), tomcatJmx.findReloadedContextMemoryLeaks(), "Tomcat's leak detection");
            List<String> warnings = TomcatManagement.leakWarnings(tomcat.log());
            assertTrue(warnings.isEmpty(), () -> "Tomcat warns of leaks:\n" + String.join("\n", warnings));
            List<String> wagiThreads = jmx.threadNames().stream().filter(n -> n.startsWith("wagi-wasmtime")).sorted().toList();
            // the last generation's epoch thread, and its compile thread if it compiled a module with its own memory lately
            assertTrue(wagiThreads.equals(List.of("wagi-wasmtime-epoch"))
                    || wagiThreads.equals(List.of("wagi-wasmtime-compile", "wagi-wasmtime-epoch")), "one generation's threads: " + wagiThreads);
            assertTrue(copies >= 1 && copies <= 8, "library files: " + copies);
        }
    }

    private void exercise(ServletContainer tomcat, int generation) throws Exception {
        HttpResponse<String> hello = get(tomcat, "/wagi/native-hello");
        assertEquals(200, hello.statusCode(), () -> "generation " + generation + "\n" + tomcat.logTail());
        assertEquals("Hello, world!\n", hello.body());
        assertEquals(500, get(tomcat, "/wagi/trap").statusCode(), "generation " + generation);
        assertEquals(504, get(tomcat, "/wagi/loop").statusCode(), "generation " + generation);
    }

    private HttpResponse<String> get(ServletContainer tomcat, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(tomcat.uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
