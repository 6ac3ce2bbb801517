package dev.wagiservlet.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What hostile clients and hostile modules try, in a real container with a small heap
 * ({@code -Xmx512m}, so the memory budget is 256 MiB): paths that the container normalises past
 * its security constraints, runs that together would need more heap than there is, clients that
 * send headers and then nothing, a flood on one route, and a body that never arrives. Each test
 * fails without the defence it names.
 */
abstract class HostileInputContract extends ContainerContract {

    /** The container's read timeout: how long an idle client can hold a connection. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(8);


    abstract ServletContainer newContainer();

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "grow", "bigtable", "bigstart", "stream", "echo");
        Files.writeString(modules.resolve("modules.toml"), """
                [[module]]
                route = "/grow"
                module = "wasm/grow.wasm"

                [[module]]
                route = "/bigtable"
                module = "wasm/bigtable.wasm"

                [[module]]
                route = "/bigstart"
                module = "wasm/bigstart.wasm"

                [[module]]
                route = "/held"
                module = "wasm/stream.wasm"

                [[module]]
                route = "/stalled"
                module = "wasm/stream.wasm"
                timeout = "1s"
                max_concurrency = 1

                [[module]]
                route = "/slow-body"
                module = "wasm/echo.wasm"
                timeout = "2s"
                """);
        Path secured = TestWebapps.webapp(work.resolve("secured"), List.of(
                new String[] {"routes.env.route", "/x/env/..."},
                new String[] {"routes.env.module", TestWebapps.module("env").toString()},
                new String[] {"routes.hello.route", "/hello"},
                new String[] {"routes.hello.module", TestWebapps.module("hello").toString()}), """
                  <security-constraint>
                    <web-resource-collection>
                      <web-resource-name>secret</web-resource-name><url-pattern>/x/env/*</url-pattern>
                    </web-resource-collection>
                    <auth-constraint/>
                  </security-constraint>
                """);
        TestWebapps.addLibrary(secured);
        container = newContainer()
                .deploy("/wagi", TestWebapps.war())
                .deploy("/sec", secured)
                .env("WAGI_MODULES_TOML", modules.resolve("modules.toml").toString())
                .env("WAGI_MAX_TOTAL_CONCURRENCY", "40")
                .jvmOption("-Xmx512m")
                .readTimeout(READ_TIMEOUT)
                .enableJmx()
                .start();
    }

    @Test
    void dotSegmentsAndPathParametersCannotReachAProtectedRoute() throws Exception {
        assertEquals(403, status(exchange("GET /sec/x/env/secret")), "the security constraint holds on the plain path");
        assertEquals(200, status(exchange("GET /sec/hello")));
        for (String path : List.of("/sec/x/env/../../hello", "/sec/x/env/%2e%2e/%2e%2e/hello", "/sec/x/env/secret/..;/..;/..;/hello",
                "/sec/x/env;a=b/../../hello", "/sec/hello/../x/env/secret")) {
            String response = exchange("GET " + path);
            assertFalse(response.contains("GATEWAY_INTERFACE"), "the protected module must not run for " + path + ":\n" + response);
            int status = status(response);
            assertTrue(status == 400 || status == 403 || status == 404, path + " -> " + status);
        }
        assertEquals(400, status(exchange("GET /sec/x/env/../../hello")), "refused, not served by either route");
        assertLogged("[/x/env/...] 400: the request path '/x/env/../../hello'");
    }

    @Test
    void manyRunsGrowingAtOnceCannotExhaustTheHeap() throws Exception {
        long[] liveAfterGc = {0};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    liveAfterGc[0] = Math.max(liveAfterGc[0], heapAfterLastGc());
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        sampler.start();
        for (String route : List.of("/grow", "/bigtable", "/bigstart")) {
            long before = requests(route);
            List<CompletableFuture<HttpResponse<String>>> runs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                runs.add(http.sendAsync(HttpRequest.newBuilder(container.uri("/wagi" + route)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            assertEquals(200, get("/wagi/hello").statusCode(), "a bystander is served while " + route + " runs 32 times");
            int ok = 0;
            for (CompletableFuture<HttpResponse<String>> run : runs) {
                HttpResponse<String> response = run.get(60, TimeUnit.SECONDS); // throws if a connection was dropped
                assertTrue(Set.of(200, 503).contains(response.statusCode()), route + ": " + response.statusCode() + " " + response.body());
                if (response.statusCode() == 200) {
                    ok++;
                } else {
                    assertTrue(response.headers().firstValue("Retry-After").isPresent(), "503 says when to come back");
                }
            }
            assertTrue(ok > 0, route + ": the budget lets some runs through");
            Map<String, Long> errors = awaitRequests(route, before + 32);
            long refused = errors.getOrDefault("memory", 0L) + errors.getOrDefault("busy", 0L);
            assertEquals(32 - ok, refused, route + ": every 503 is counted as memory or busy: " + errors);
            assertEquals(0, errors.getOrDefault("other", 0L), route + ": " + errors);
            System.out.printf("[hostile] %s %s: 32 at once: %d x 200, errors %s%n", container.name(), route, ok, errors);
        }
        sampler.interrupt();
        sampler.join();
        assertFalse(container.log().contains("OutOfMemoryError"), "the heap held:\n" + container.logTail());
        System.out.printf("[hostile] %s: at most %d MiB of heap in use after a collection (-Xmx512m, module memory budget 256 MiB)%n",
                container.name(), liveAfterGc[0] >> 20);
        assertEquals(200, get("/wagi/grow").statusCode(), "the route still works alone");
    }

    @Test
    void idleClientsHoldNoModuleSlots() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Socket socket = new Socket("127.0.0.1", container.port());
                socket.getOutputStream().write(("POST /wagi/" + (i % 2 == 0 ? "echo" : "env/x")
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n").getBytes(UTF_8));
                socket.getOutputStream().flush();
                idle.add(socket);
            }
            Thread.sleep(500);
            assertEquals(200, get("/wagi/hello").statusCode(), "100 idle clients on /echo and /env take no module slot");
            HttpResponse<String> echo = http.send(HttpRequest.newBuilder(container.uri("/wagi/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("still here")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, echo.statusCode());
            assertEquals("still here", echo.body());
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void oneRouteCannotStarveTheOthers() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 45; i++) { // more than all 40 slots
                Socket socket = new Socket("127.0.0.1", container.port());
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write(("POST /wagi/held HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n").getBytes(UTF_8));
                socket.getOutputStream().flush();
                held.add(socket);
            }
            int running = 0;
            int refused = 0;
            for (Socket socket : held) {
                String head = Wire.readUntil(socket.getInputStream(), "\r\n");
                if (head.startsWith("HTTP/1.1 200")) {
                    running++;
                } else if (head.startsWith("HTTP/1.1 503")) {
                    refused++;
                }
            }
            assertEquals(20, running, "a route gets half of max_total_concurrency by default");
            assertEquals(25, refused);
            assertEquals(200, get("/wagi/hello").statusCode(), "the other routes keep their slots");
            HttpResponse<String> echo = http.send(HttpRequest.newBuilder(container.uri("/wagi/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, echo.statusCode());
        } finally {
            for (Socket socket : held) {
                try {
                    socket.getOutputStream().write("0\r\n\r\n".getBytes(UTF_8));
                } catch (IOException e) {
                    // refused ones may be closed already
                }
                socket.close();
            }
        }
    }

    @Test
    void aBodyThatNeverArrivesIs408AndNoErrorPage() throws Exception {
        long before = requests("/slow-body");
        long start = System.nanoTime();
        String response = exchange("POST /wagi/slow-body", "Content-Length: 100", Duration.ofSeconds(40));
        assertEquals(408, status(response), response);
        for (String leak : List.of("Exception", "dev.wagiservlet", "chicory", "at org.")) {
            assertFalse(response.contains(leak), "no stack trace in the answer: " + response);
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(READ_TIMEOUT.plusSeconds(10)) < 0);
        assertLogged("[/slow-body] 408: the request body did not arrive");
        Map<String, Long> errors = awaitRequests("/slow-body", before + 1);
        assertEquals(1L, errors.get("client"), errors.toString());
    }

    @Test
    void aStalledBodyGivesItsSlotBackAtTheRouteTimeout() throws Exception {
        try (Socket stalled = new Socket("127.0.0.1", container.port())) {
            stalled.setSoTimeout(15_000);
            stalled.getOutputStream().write(("POST /wagi/stalled HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n").getBytes(UTF_8));
            stalled.getOutputStream().flush();
            Wire.readUntil(stalled.getInputStream(), "first\n"); // the route's one slot is taken, the module waits for more body
            Thread.sleep(1_500); // past the route's 1 s timeout, well before the container's read timeout
            HttpResponse<String> next = http.send(HttpRequest.newBuilder(container.uri("/wagi/stalled"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, next.statusCode(), "the stalled run gave its slot back at its timeout: " + next.body());
            assertTrue(next.body().endsWith("last\n"), next.body());
        }
    }

    // ------------------------------------------------------------------ helpers


    /** Sends one request as written (no normalisation of its path) and reads the whole answer. */
    private String exchange(String requestLine) throws IOException {
        return exchange(requestLine, null, Duration.ofSeconds(20));
    }

    private String exchange(String requestLine, String header, Duration timeout) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + (header == null ? "" : header + "\r\n")
                    + "\r\n").getBytes(UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | SocketException e) {
                // what arrived is the answer
            }
            return received.toString(UTF_8);
        }
    }

    private static int status(String response) {
        if (!response.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("no HTTP answer: '" + response + "'");
        }
        return Integer.parseInt(response.substring(9, 12));
    }

    private void assertLogged(String text) {
        assertTrue(container.awaitLog(text, Duration.ofSeconds(10)), "log lacks: " + text + "\n" + container.logTail());
    }

    /** The WAR's MBean for the route (the /sec library webapp reads WAGI_MODULES_TOML too, so it has one of its own). */
    private ObjectName routeMBean(String route) throws Exception {
        Set<ObjectName> names = container.jmx().connection().queryNames(
                new ObjectName("dev.wagiservlet:type=Route,webapp=/wagi,route=" + ObjectName.quote(route) + ",*"), null);
        assertEquals(1, names.size(), "one MBean for " + route + ": " + names);
        return names.iterator().next();
    }

    private long requests(String route) throws Exception {
        return (Long) container.jmx().attribute(routeMBean(route).toString(), "Requests");
    }

    /** Waits until the route has counted this many requests (counted after the answer), then gives its errors by kind. */
    private Map<String, Long> awaitRequests(String route, long count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (requests(route) < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(count, requests(route), route);
        Map<String, Long> errors = new TreeMap<>();
        TabularData table = (TabularData) container.jmx().attribute(routeMBean(route).toString(), "ErrorsByKind");
        for (Object row : table.values()) {
            CompositeData data = (CompositeData) row;
            errors.put((String) data.get("key"), (Long) data.get("value"));
        }
        return errors;
    }

    /** The heap the server JVM held right after its last collection (its pools' usage after GC, summed): what was live then. */
    private long heapAfterLastGc() throws Exception {
        long live = 0;
        for (ObjectName pool : container.jmx().connection().queryNames(new ObjectName("java.lang:type=MemoryPool,*"), null)) {
            if ("HEAP".equals(container.jmx().attribute(pool.toString(), "Type"))) {
                CompositeData usage = (CompositeData) container.jmx().attribute(pool.toString(), "CollectionUsage");
                live += usage == null ? 0 : (Long) usage.get("used");
            }
        }
        return live;
    }
}
