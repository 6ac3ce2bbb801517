package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServerJmx;
import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ThreadInfo;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undeploying the WAR while a module is running: the request in flight ends soon (well before its
 * route's 60 s timeout), the filter logs that it stopped, its threads are gone, no compiled module
 * or class of the webapp stays alive, and the container goes on serving its other webapps.
 *
 * <p>The WAR runs at {@code /wagi} with a modules.toml (named by WAGI_MODULES_TOML) that mounts
 * {@code loop.wasm}, which never ends, at {@code /loop} with {@code timeout = "60s"}; a plain static
 * webapp runs at {@code /other}.
 */
abstract class GracefulShutdownContract {

    /** The route's own timeout: the request must end long before it. */
    static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(60);
    /** How soon after the undeploy began the request in flight must have ended. */
    static final Duration MAX_END = Duration.ofSeconds(15);

    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** A new, not yet started container of the kind under test (JMX is enabled by the test). */
    abstract ServletContainer newContainer();

    /** Undeploys /wagi while the request runs; returns when the container says it is undeployed. Bounded. */
    abstract void undeploy(ServletContainer container, ServerJmx jmx, Path work) throws Exception;

    /** The class of the container's webapp class loaders, as a class histogram names it. */
    abstract String webappClassLoaderClass();

    /** Container-specific checks after the undeploy (e.g. Tomcat's own leak detection). */
    void afterUndeploy(ServletContainer container, ServerJmx jmx) {
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void undeployWhileAModuleRunsEndsTheRequestAndFreesEverything(@TempDir Path work) throws Exception {
        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "loop");
        Files.writeString(modules.resolve("modules.toml"), """
                [[module]]
                route = "/loop"
                module = "wasm/loop.wasm"
                timeout = "%ds"
                """.formatted(ROUTE_TIMEOUT.toSeconds()));
        Path other = work.resolve("other");
        Files.createDirectories(other.resolve("WEB-INF"));
        Files.writeString(other.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0"/>
                """);
        Files.writeString(other.resolve("hello.txt"), "still here\n");

        long started = System.nanoTime();
        try (ServletContainer container = newContainer()
                .enableJmx()
                .deploy("/wagi", TestWebapps.war())
                .deploy("/other", other)
                .env("WAGI_MODULES_TOML", modules.resolve("modules.toml").toString())
                .start();
             ServerJmx jmx = container.jmx()) {
            assertEquals(200, once(container, "/wagi/hello", Duration.ofSeconds(30)).status(), container::logTail);
            String before = jmx.classHistogram();
            long compiledBefore = ServerJmx.instances(before, "dev.wagiservlet.engine.chicory.ChicoryModule");
            assertTrue(compiledBefore >= 4, "hello, echo, env and loop are compiled: " + compiledBefore);
            assertTrue(wagiThreads(jmx).size() >= 3, "the filter's threads run: " + wagiThreads(jmx));

            CompletableFuture<Answer> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return once(container, "/wagi/loop", ROUTE_TIMEOUT.plusSeconds(30));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            awaitModuleRunning(jmx, inFlight);

            long undeployStart = System.nanoTime();
            CompletableFuture<Void> undeploying = CompletableFuture.runAsync(() -> {
                try {
                    undeploy(container, jmx, work);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String outcome;
            try {
                Answer response = inFlight.get(ROUTE_TIMEOUT.toSeconds() + 40, TimeUnit.SECONDS);
                outcome = response.status() + " " + response.body().strip();
            } catch (ExecutionException e) {
                outcome = "connection ended without a response: " + e.getCause();
            }
            long endedAfter = millisSince(undeployStart);
            undeploying.get(2, TimeUnit.MINUTES);
            long undeployedAfter = millisSince(undeployStart);
            System.out.printf("[graceful] %s: the request in flight ended %d ms after the undeploy began (%s); undeploy done after %d ms%n",
                    container.name(), endedAfter, outcome, undeployedAfter);
            assertTrue(endedAfter < MAX_END.toMillis(), "the request in flight ended " + endedAfter + " ms after the undeploy"
                    + " began (" + outcome + "), not within " + MAX_END.toSeconds() + " s; the route's timeout is "
                    + ROUTE_TIMEOUT.toSeconds() + " s");

            assertTrue(container.awaitLog("WAGI filter 'wagi' stopped", Duration.ofSeconds(10)),
                    () -> "the filter logs that it stopped\n" + container.logTail());
            if (outcome.startsWith("503")) {
                assertTrue(container.log().contains("[/loop] 503"), "the filter logs the stopped run");
            }
            assertTrue(awaitNoWagiThreads(jmx, Duration.ofSeconds(10)), () -> "wagi threads left: " + wagiThreads(jmx));

            // The container may still be finishing the undeploy on its own thread (Jetty's scanner
            // answers 404 for /wagi before its stop has returned): read until /wagi's loader is gone, bounded.
            String after = jmx.classHistogram();
            long histogramDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (ServerJmx.instances(after, webappClassLoaderClass()) > 1 && System.nanoTime() - histogramDeadline < 0) {
                Thread.sleep(500);
                after = jmx.classHistogram();
            }
            long compiledAfter = ServerJmx.instances(after, "dev.wagiservlet.engine.chicory.ChicoryModule");
            long filtersAfter = ServerJmx.instances(after, "dev.wagiservlet.filter.WagiFilter");
            long chicoryLoaders = ServerJmx.instances(after, "com.dylibso.chicory.compiler.internal.WasmClassLoader");
            long webappLoaders = ServerJmx.instances(after, webappClassLoaderClass());
            System.out.printf("[graceful] %s: compiled modules alive before %d, after the undeploy %d; WagiFilter %d;"
                    + " Chicory class loaders %d; webapp class loaders %d (/other's is 1); threads %s%n", container.name(),
                    compiledBefore, compiledAfter, filtersAfter, chicoryLoaders, webappLoaders, jmx.threadNames());
            assertEquals(0, compiledAfter, "compiled modules alive after the undeploy");
            assertEquals(0, filtersAfter, "WagiFilter instances alive after the undeploy");
            assertEquals(0, chicoryLoaders, "class loaders of Chicory's generated classes alive after the undeploy");
            // The class histogram ran a full GC: /wagi's class loader must be gone, only /other's is left.
            assertEquals(1, webappLoaders, "webapp class loaders alive after the undeploy (only /other's may be)");
            afterUndeploy(container, jmx);

            HttpResponse<String> still = get(container, "/other/hello.txt");
            assertEquals(200, still.statusCode(), "the container still serves its other webapps");
            assertEquals("still here\n", still.body());
            assertEquals(404, once(container, "/wagi/hello", Duration.ofSeconds(30)).status(), "/wagi is gone");
        }
        System.out.printf("[graceful] whole test in %d ms%n", millisSince(started));
    }

    /** Waits (bounded) until a container thread is inside the module run of the request in flight. */
    private static void awaitModuleRunning(ServerJmx jmx, CompletableFuture<?> inFlight) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
            for (ThreadInfo thread : jmx.threadDump()) {
                if (Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getClassName().equals("dev.wagiservlet.core.Exchange"))) {
                    return;
                }
            }
            if (inFlight.isDone()) {
                throw new AssertionError("the request to /wagi/loop ended before the undeploy: " + inFlight.join().toString());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no server thread runs the module of /wagi/loop within 30 s");
    }

    static List<String> wagiThreads(ServerJmx jmx) {
        return jmx.threadNames().stream().filter(n -> n.startsWith("wagi-")).toList();
    }

    private static boolean awaitNoWagiThreads(ServerJmx jmx, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!wagiThreads(jmx).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    HttpResponse<String> get(ServletContainer container, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(container.uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A status and a body. */
    record Answer(int status, String body) {}

    /**
     * A GET of /wagi on a connection of its own, which the server closes after the answer (HTTP/1.0).
     * Requests to the webapp under test never use a pooled keep-alive connection: Jetty keeps the
     * context a connection last served (its ServletChannel) referenced from the idle connection
     * until the connection closes or serves another context, which would look like a leak of ours.
     *
     * @throws IOException also when the connection ends without an answer
     */
    static Answer once(ServletContainer container, String path, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", container.port()), 10_000);
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + container.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = answer.indexOf("\r\n\r\n");
            if (!answer.startsWith("HTTP/1.") || headEnd < 0) {
                throw new IOException("no HTTP answer to GET " + path + ": '" + answer + "'");
            }
            return new Answer(Integer.parseInt(answer.substring(9, 12)), answer.substring(headEnd + 4));
        }
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
