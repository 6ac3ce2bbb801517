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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undeploying and deploying the WAR again 20 times, and reloading it 5 times, in a real Tomcat
 * leaves no class loader behind: Tomcat's own leak detection (the Host's
 * {@code findReloadedContextMemoryLeaks}, the Manager app's "Find leaks") reports none, Tomcat logs
 * no leak warnings (threads, ThreadLocals) on any stop, and only one webapp class loader, one
 * generation of our filter and of its compiled modules are alive at the end.
 *
 * <p>Each generation serves requests that run modules (so the module cache, its compiler threads,
 * the timeout sweeper, the modules.toml watcher and Chicory's generated classes are all used), on
 * the success path and the error paths (trap, timeout).
 */
class TomcatRedeployLeakIT {

    private static final int REDEPLOYS = 20;
    private static final int RELOADS = 5;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void noClassLoaderIsLeftBehind(@TempDir Path work) throws Exception {
        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "trap", "loop");
        Files.writeString(modules.resolve("modules.toml"), """
                [[module]]
                route = "/trap"
                module = "wasm/trap.wasm"

                [[module]]
                route = "/loop"
                module = "wasm/loop.wasm"
                timeout = "200ms"
                """);

        long started = System.nanoTime();
        try (ServletContainer tomcat = ServletContainer.tomcat()
                .enableJmx()
                .jvmOption("-Xmx512m")
                .deploy("/wagi", TestWebapps.war())
                .env("WAGI_MODULES_TOML", modules.resolve("modules.toml").toString())
                .start();
             ServerJmx jmx = tomcat.jmx()) {
            TomcatManagement tomcatJmx = new TomcatManagement(jmx, tomcat.baseDirectory().resolve("webapps"));
            Path parked = work.resolve("parked/wagi.war");
            exercise(tomcat, 0);
            long loadedBefore = jmx.classLoading().getTotalLoadedClassCount();
            long unloadedBefore = jmx.classLoading().getUnloadedClassCount();

            long t0 = System.nanoTime();
            for (int i = 1; i <= REDEPLOYS; i++) {
                tomcatJmx.undeployWar("/wagi", parked, STEP_TIMEOUT);
                assertEquals(404, get(tomcat, "/wagi/hello").statusCode(), "undeployed");
                tomcatJmx.deployWar("/wagi", parked, STEP_TIMEOUT);
                exercise(tomcat, i);
            }
            long redeployMillis = millisSince(t0);
            long t1 = System.nanoTime();
            for (int i = 1; i <= RELOADS; i++) {
                tomcatJmx.reload("/wagi");
                exercise(tomcat, REDEPLOYS + i);
            }
            long reloadMillis = millisSince(t1);
            System.out.printf("[redeploy] %d undeploy+deploy cycles in %d ms (%d ms each), %d reloads in %d ms (%d ms each)%n",
                    REDEPLOYS, redeployMillis, redeployMillis / REDEPLOYS, RELOADS, reloadMillis, reloadMillis / RELOADS);

            List<String> leaks = tomcatJmx.findReloadedContextMemoryLeaks();
            String histogram = jmx.classHistogram();
            long loaders = ServerJmx.instances(histogram, "org.apache.catalina.loader.ParallelWebappClassLoader");
            long filters = ServerJmx.instances(histogram, "dev.wagiservlet.filter.WagiFilter");
            long compiled = ServerJmx.instances(histogram, "dev.wagiservlet.engine.chicory.ChicoryModule");
            long caches = ServerJmx.instances(histogram, "dev.wagiservlet.cache.ModuleCache");
            long loaded = jmx.classLoading().getTotalLoadedClassCount() - loadedBefore;
            long unloaded = jmx.classLoading().getUnloadedClassCount() - unloadedBefore;
            // (wagi-output-N threads, which send a long run's held output, and wagi-module-N threads, which run modules and
            // end when idle for 30 s, come and go with the runs: counted apart)
            List<String> wagiThreads = jmx.threadNames().stream()
                    .filter(n -> n.startsWith("wagi-") && !n.startsWith("wagi-output-") && !n.startsWith("wagi-module-")).sorted().toList();
            long moduleThreads = jmx.threadNames().stream().filter(n -> n.startsWith("wagi-module-")).count();
            System.out.printf("[redeploy] findReloadedContextMemoryLeaks: %s; alive after GC: %d webapp class loader(s), %d WagiFilter,"
                    + " %d ModuleCache, %d compiled module(s); classes loaded since the first generation %d, unloaded %d;"
                    + " wagi threads %s%n", leaks, loaders, filters, caches, compiled, loaded, unloaded, wagiThreads);

            assertEquals(List.of(), leaks, "Tomcat's leak detection: contexts whose stopped class loader is still alive");
            assertEquals(1, loaders, "webapp class loaders alive: only the current generation's");
            assertEquals(1, filters, "WagiFilter instances alive");
            assertEquals(1, caches, "ModuleCache instances alive");
            assertTrue(compiled >= 1 && compiled <= 5, "compiled modules alive: one generation's (hello, echo, env, trap, loop) - " + compiled);
            assertTrue(unloaded > 0, "the old generations' classes were unloaded: loaded " + loaded + ", unloaded " + unloaded);
            assertEquals(List.of("wagi-compiler-1", "wagi-compiler-2", "wagi-modules-toml-watcher", "wagi-timeouts"), wagiThreads,
                    "one generation's threads");
            // the last generation's: a run handed over just as the last one's thread finishes starts another; 26 generations' would be 26+
            assertTrue(moduleThreads <= 3, "module threads: only the last generation's few: " + moduleThreads);
            String log = tomcat.log();
            List<String> warnings = TomcatManagement.leakWarnings(log);
            assertTrue(warnings.isEmpty(), () -> "Tomcat warns of leaks:\n" + String.join("\n", warnings));
            assertTrue(log.contains("Undeploying context [/wagi]"), "the WAR was really undeployed");
        }
        System.out.printf("[redeploy] whole test in %d ms%n", millisSince(started));
    }

    /** Requests that run modules, on the success and error paths, in this generation of the webapp. */
    private void exercise(ServletContainer tomcat, int generation) throws Exception {
        HttpResponse<String> hello = get(tomcat, "/wagi/hello");
        assertEquals(200, hello.statusCode(), () -> "generation " + generation + "\n" + tomcat.logTail());
        assertEquals("Hello, world!\n", hello.body());
        String body = "generation " + generation;
        HttpResponse<String> echo = http.send(HttpRequest.newBuilder(tomcat.uri("/wagi/echo")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, echo.statusCode());
        assertEquals(body, echo.body());
        HttpResponse<String> env = get(tomcat, "/wagi/env/x?g=" + generation);
        assertEquals(200, env.statusCode());
        assertTrue(env.body().contains("QUERY_STRING=g=" + generation), env.body());
        assertEquals(500, get(tomcat, "/wagi/trap").statusCode());
        assertEquals(504, get(tomcat, "/wagi/loop").statusCode());
    }

    private HttpResponse<String> get(ServletContainer tomcat, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(tomcat.uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
