package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.cgi.Header;
import dev.wagiservlet.config.InitParameters;
import dev.wagiservlet.config.WagiSettings;
import dev.wagiservlet.config.WagiSettingsReader;
import dev.wagiservlet.metrics.FilterMetrics;
import dev.wagiservlet.metrics.RouteMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core against a fake port, without a container: one request for every row of the
 * {@link Failure} table (each answered with its status, or aborted once committed, and counted
 * under its kind), the run's slots, and the output hold. Real modules, compiled by Chicory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));

    private Gateway gateway;
    private FilterMetrics metrics;
    private Path changing;

    @BeforeAll
    void start(@TempDir Path temp) throws IOException {
        changing = Files.copy(MODULES.resolve("hello.wasm"), temp.resolve("changing.wasm"));
        Map<String, String> params = new LinkedHashMap<>();
        route(params, "hello", "/hello", "hello", "methods", "GET");
        route(params, "echo", "/echo", "echo", "max_body_size", "16");
        route(params, "stream", "/stream", "stream", "max_concurrency", "1", "timeout", "2s");
        route(params, "loop", "/loop", "loop", "timeout", "200ms");
        route(params, "streamloop", "/stream-loop", "stream-loop", "timeout", "300ms");
        route(params, "grow", "/grow", "grow");
        route(params, "trap", "/trap", "trap");
        route(params, "exit", "/exit", "exit1");
        route(params, "link", "/link", "badimport");
        route(params, "entry", "/entry", "hello", "entrypoint", "nothere");
        route(params, "noblank", "/no-blank", "no-blank-line");
        route(params, "badstatus", "/bad-status", "bad-status");
        route(params, "short", "/short", "short-content-length");
        route(params, "lateshort", "/late-short", "late-short-content-length");
        route(params, "big", "/big", "big-body", "max_output_size", "1KiB");
        route(params, "changing", "/changing", null);
        params.put("routes.changing.module", changing.toString());
        params.put("max-total-memory", "64MiB");
        params.put("concurrency-wait", "100ms");
        params.put("health-route", "/healthz");
        params.put("engine", engineSetting());
        route(params, "native", "/native", "echo", "engine", "wasmtime");
        route(params, "java", "/java", "echo", "engine", "chicory");
        route(params, "auto", "/auto", "echo", "engine", "auto");
        WagiSettings settings = WagiSettingsReader.read(InitParameters.read(params, "test"), "test");
        metrics = new FilterMetrics("test", "/");
        gateway = Gateway.start("test", settings, new TempWebapp(temp), metrics);
    }

    /** The global {@code engine} setting the gateway runs with. */
    String engineSetting() {
        return "compiler";
    }

    @Test
    void eachRouteRunsOnItsEngine() throws Exception {
        for (String route : List.of("/native", "/java", "/auto")) {
            FakePort port = serve(new FakePort("POST", route, ("body of " + route).getBytes(StandardCharsets.UTF_8)));
            assertEquals(200, port.status, route);
            assertEquals("body of " + route, port.body(), route);
        }
        Map<String, String> engines = new LinkedHashMap<>();
        gateway.routes().forEach(r -> engines.put(r.mounted().route(), r.mounted().engine()));
        assertEquals("wasmtime", engines.get("/native"));
        assertEquals("chicory", engines.get("/java"));
        assertEquals("chicory", engines.get("/auto"), "a small module stays on Chicory");
    }

    private static void route(Map<String, String> params, String name, String route, String module, String... keys) {
        params.put("routes." + name + ".route", route);
        if (module != null) {
            params.put("routes." + name + ".module", MODULES.resolve(module + ".wasm").toString());
        }
        for (int i = 0; i < keys.length; i += 2) {
            params.put("routes." + name + "." + keys[i], keys[i + 1]);
        }
    }

    @AfterAll
    void stop() {
        gateway.stop();
    }

    FakePort serve(FakePort port) throws Exception {
        assertTrue(gateway.serve(port, port.request().requestUri(), "localhost", 8080), "a route is for " + port.request().requestUri());
        return port;
    }

    private long errors(String route, String kind) {
        RouteMetrics counted = metrics.routes().stream().filter(r -> r.info().route().equals(route)).findFirst().orElseThrow();
        return counted.errorsByKind().get(kind);
    }

    @Test
    void aGoodRunIsAnsweredInOnePieceAndCounted() throws Exception {
        FakePort port = serve(FakePort.get("/hello"));
        assertEquals(200, port.status);
        assertEquals("Hello, world!\n", port.body());
        assertFalse(port.committed, "a quick run is held and sent by the container in one piece");
        assertFalse(gateway.serve(FakePort.get("/nothing"), "/nothing", "localhost", 8080), "no route: the adapter passes it on");
        FakePort health = FakePort.get("/healthz");
        assertTrue(gateway.serve(health, "/healthz", "localhost", 8080));
        assertEquals("OK", health.body());
    }

    @Test
    void refusalsBeforeTheRun() throws Exception {
        FakePort post = serve(new FakePort("POST", "/hello", new byte[0]));
        assertEquals(405, post.status);
        assertEquals(List.of("GET, HEAD"), post.headers.get("Allow"));
        assertEquals(1, errors("/hello", "method"));

        assertEquals(413, serve(new FakePort("POST", "/echo", new byte[17])).status);
        assertEquals(1, errors("/echo", "too-large"));

        FakePort dotted = FakePort.get("/echo/../hello");
        dotted.normalisedPath = "/hello";
        assertTrue(gateway.serve(dotted, "/echo/../hello", "localhost", 8080));
        assertEquals(400, dotted.status, "the raw path and the container's disagree");
        assertEquals(1, errors("/hello", "bad-path"));
    }

    @Test
    void aBodyThatDoesNotArriveIsTheClients() throws Exception {
        FakePort timedOut = new BrokenBodyPort(new SocketTimeoutException("read timed out"));
        serve(timedOut);
        assertEquals(408, timedOut.status);
        assertTrue(timedOut.bodyFailed, "the container is told, so it shows no error page of its own");
        FakePort broken = new BrokenBodyPort(new IOException("Connection reset"));
        serve(broken);
        assertEquals(400, broken.status);
        assertEquals(2, errors("/echo", "client"));
    }

    @Test
    void theModulesOwnFailures() throws Exception {
        assertEquals(500, serve(FakePort.get("/trap")).status);
        assertEquals(1, errors("/trap", "trap"));
        assertEquals(500, serve(FakePort.get("/exit")).status);
        assertEquals(1, errors("/exit", "exit"));
        assertEquals(500, serve(FakePort.get("/link")).status);
        assertEquals(1, errors("/link", "link"));
        assertEquals(500, serve(FakePort.get("/entry")).status);
        assertEquals(1, errors("/entry", "entrypoint"));
    }

    @Test
    void unusableCgiOutput() throws Exception {
        FakePort noBlank = serve(FakePort.get("/no-blank"));
        assertEquals(500, noBlank.status);
        assertEquals(Failure.NO_CGI_HEAD.reason(), noBlank.body());
        assertEquals(502, serve(FakePort.get("/bad-status")).status);
        assertEquals(2, errors("/no-blank", "bad-cgi") + errors("/bad-status", "bad-cgi"));
        assertEquals(502, serve(FakePort.get("/short")).status, "less body than its Content-Length, nothing sent yet");
        assertEquals(1, errors("/short", "bad-cgi"));
        ResponseAborted aborted = assertThrows(ResponseAborted.class, () -> serve(committing("/late-short")));
        assertTrue(aborted.getMessage().contains("bytes less than its Content-Length"), aborted.getMessage());
        assertEquals(1, errors("/late-short", "bad-cgi"));
    }

    @Test
    void limitsWhileTheModuleRuns() throws Exception {
        assertEquals(502, serve(FakePort.get("/big")).status, "over max_output_size before anything was sent");
        assertEquals(1, errors("/big", "limit"));
        FakePort chunked = new ChunkedPort("/echo", new byte[64]);
        assertEquals(413, serve(chunked).status, "a body without a declared length, counted as it streams");
        assertEquals(1, errors("/echo", "limit"));
    }

    @Test
    void timeoutsAnswer504OrAbortOnceStreaming() throws Exception {
        long start = System.nanoTime();
        assertEquals(504, serve(FakePort.get("/loop")).status);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5_000);
        assertEquals(1, errors("/loop", "timeout"));
        assertThrows(ResponseAborted.class, () -> serve(committing("/stream-loop")), "its output was sent, then it timed out");
        assertEquals(1, errors("/stream-loop", "timeout"));
    }

    @Test
    void theMemoryBudgetRefusesWhatDoesNotFit() throws Exception {
        FakePort port = serve(FakePort.get("/grow"));
        assertEquals(503, port.status, "100 MiB do not fit in a 64 MiB budget");
        assertEquals(List.of("1"), port.headers.get("Retry-After"));
        assertEquals(1, errors("/grow", "memory"));
    }

    @Test
    void aModuleThatCannotBeLoadedAnymore() throws Exception {
        Files.write(changing, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 0x7f}); // changed on disk, no longer a module
        assertEquals(500, serve(FakePort.get("/changing")).status);
        assertEquals(1, errors("/changing", "load"));
    }

    @Test
    void aRouteAtItsCapTurnsTheNextAwayAndAFailureOfThePortIsOther() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        FakePort held = new ChunkedPort("/stream", "hello".getBytes()) {
            private boolean first = true;

            @Override
            public InputStream requestBody() {
                return new InputStream() {
                    @Override
                    public int read() {
                        return -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (first) {
                            first = false;
                            b[off] = 'x';
                            return 1;
                        }
                        started.countDown();
                        try {
                            finish.await(); // a client that sends no more: the run holds the route's one slot
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        return -1;
                    }
                };
            }
        };
        Thread run = new Thread(() -> {
            try {
                serve(held);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        run.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        FakePort turnedAway = serve(new FakePort("POST", "/stream", "x".getBytes()));
        assertEquals(503, turnedAway.status);
        assertEquals(1, errors("/stream", "busy"));
        finish.countDown();
        run.join();
        assertEquals(200, held.status);

        FakePort failing = new FakePort("GET", "/hello", new byte[0]) {
            @Override
            public OutputStream responseBody() {
                throw new UncheckedIOException(new IOException("the port broke"));
            }
        };
        serve(failing);
        assertEquals(500, failing.status);
        assertEquals(1, errors("/hello", "other"));
    }

    /**
     * A GET whose response is committed by its first write, as if the output relay had already
     * released it: the cases that must abort do not depend on the relay's timing on a busy machine.
     */
    private static FakePort committing(String path) {
        return new FakePort("GET", path, new byte[0]) {
            @Override
            public OutputStream responseBody() {
                OutputStream body = super.responseBody();
                return new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        body.write(b, off, len);
                        body.flush();
                    }
                };
            }
        };
    }

    /** A request to /echo whose body read fails as the container's would. */
    private static final class BrokenBodyPort extends FakePort {
        private final IOException failure;

        BrokenBodyPort(IOException failure) {
            super("POST", "/echo", new byte[10]);
            this.failure = failure;
        }

        @Override
        public InputStream requestBody() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    throw failure;
                }
            };
        }
    }

    /** A request whose body comes chunked: no declared length. */
    private static class ChunkedPort extends FakePort {
        private final CgiRequest chunked;

        ChunkedPort(String path, byte[] body) {
            super("POST", path, body);
            CgiRequest r = super.request();
            chunked = new CgiRequest(r.method(), r.requestUri(), r.contextPath(), r.queryString(), r.protocol(), r.scheme(), r.serverName(),
                    r.serverPort(), r.remoteAddr(), r.remoteUser(), r.authType(), r.contentType(), OptionalLong.empty(),
                    List.of(new Header("Host", "localhost"), new Header("Transfer-Encoding", "chunked")));
        }

        @Override
        public CgiRequest request() {
            return chunked;
        }
    }
}
