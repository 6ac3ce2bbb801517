package dev.wagiservlet.engine.chicory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.Engines;
import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.ModuleLoadException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.WasmEngineProvider;
import dev.wagiservlet.engine.http.ExperimentalHttpSession;
import dev.wagiservlet.engine.http.OutboundHttpPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code wasi_experimental_http} through {@link ChicoryEngine}, compiled and interpreted, and through the
 * wasmtime engine (the same ABI, from {@link ExperimentalHttpSession}), with the
 * C module {@code modules/c/http-client.c} (hand-written imports with the guest crate's ABI) and the
 * WAT modules {@code modules/wat/http-*.wat}, against an HTTP server on 127.0.0.1 started here.
 *
 * <p>Every error code of the ABI and its tests:
 * <table>
 *   <caption>error code → test</caption>
 *   <tr><th>code</th><th>name</th><th>tests</th></tr>
 *   <tr><td>0</td><td>success</td><td>{@link #get}, {@link #postWithHeadersAndBody}, {@link #headersGetAll},
 *       {@link #largeBodyReadInChunks}, {@link #closeOfUnknownHandleIsSuccess}</td></tr>
 *   <tr><td>1</td><td>invalid_handle</td><td>{@link #invalidHandle} (header_get, headers_get_all, body_read)</td></tr>
 *   <tr><td>2</td><td>memory_not_found</td><td>{@link #memoryNotFound} (no export named "memory")</td></tr>
 *   <tr><td>3</td><td>memory_access_error</td><td>{@link #memoryAccessErrorForOutputs} (status, handle,
 *       header value and length, header block and length, body buffer and count out of memory)</td></tr>
 *   <tr><td>4</td><td>buffer_too_small</td><td>{@link #bufferTooSmall} (header_get, headers_get_all),
 *       {@link #inputsOutOfMemoryAreBufferTooSmall} (URL, method, headers, body, header name)</td></tr>
 *   <tr><td>5</td><td>header_not_found</td><td>{@link #headerNotFound}</td></tr>
 *   <tr><td>6</td><td>utf8_error</td><td>{@link #utf8Error} (URL, method, headers, header name)</td></tr>
 *   <tr><td>7</td><td>destination_not_allowed</td><td>{@link #deniedHost}, {@link #denyAllByDefault},
 *       {@link #strictEntryChecksPort}, {@link #redirectToDeniedHost}, {@link #onlyReqAndClose}</td></tr>
 *   <tr><td>8</td><td>invalid_method</td><td>{@link #invalidMethod}</td></tr>
 *   <tr><td>9</td><td>invalid_encoding</td><td>{@link #invalidEncoding}</td></tr>
 *   <tr><td>10</td><td>invalid_url</td><td>{@link #invalidUrl}, {@link #invalidAllowListEntry}</td></tr>
 *   <tr><td>11</td><td>request_error</td><td>{@link #slowUpstreamHitsRequestTimeout}, {@link #slowBodyHitsTimeout},
 *       {@link #onlyReqAndClose} (connection refused)</td></tr>
 *   <tr><td>12</td><td>runtime_error</td><td>{@link #runtimeErrorForHeaderThatIsNotUtf8},
 *       {@link #runtimeErrorAfterEngineClose}</td></tr>
 *   <tr><td>13</td><td>too_many_sessions</td><td>{@link #tooManySessions}, {@link #zeroConcurrencyRefusesAll}</td></tr>
 * </table>
 */
class ExperimentalHttpTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));
    private static final int BIG = 3 * 1024 * 1024;

    private static final Map<String, WasmEngine> ENGINES = new ConcurrentHashMap<>();
    private static final Map<String, CompiledModule> COMPILED = new ConcurrentHashMap<>();

    private static HttpServer server;
    private static ExecutorService serverThreads;
    private static String base;
    private static int port;
    private static volatile CountDownLatch endlessStopped = new CountDownLatch(1);

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/echo", ExperimentalHttpTest::echo);
        server.createContext("/big", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, BIG);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bigBody());
            }
        });
        server.createContext("/slow", ex -> {
            sleep(3000);
            send(ex, 200, "late\n");
        });
        server.createContext("/slowbody", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("first".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sleep(3000);
                out.write("rest".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the client gave up
            }
        });
        server.createContext("/redirect", ex -> {
            Map<String, String> q = query(ex);
            if (q.containsKey("to")) {
                ex.getResponseHeaders().add("Location", q.get("to"));
            }
            ex.sendResponseHeaders(Integer.parseInt(q.getOrDefault("code", "302")), -1);
            ex.close();
        });
        server.createContext("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/latin", ex -> {
            ex.getResponseHeaders().add("X-Latin", "caf\u00e9"); // the byte E9: not UTF-8
            send(ex, 200, "latin\n");
        });
        server.createContext("/utf8", ex -> {
            ex.getResponseHeaders().add("X-Utf8", new String("café".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
            send(ex, 200, "utf8\n");
        });
        server.createContext("/endless", ex -> {
            CountDownLatch stopped = endlessStopped;
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = ex.getResponseBody()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    out.write(chunk);
                    out.flush();
                }
            } catch (IOException e) {
                stopped.countDown(); // the client closed the connection
            }
        });
        server.start();
        port = server.getAddress().getPort();
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        serverThreads.shutdownNow();
        ENGINES.values().forEach(WasmEngine::close);
    }

    private static void echo(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        StringBuilder b = new StringBuilder();
        b.append("method=").append(ex.getRequestMethod()).append('\n');
        b.append("path=").append(ex.getRequestURI().getRawPath()).append('\n');
        Map<String, List<String>> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v));
        headers.forEach((k, v) -> b.append("h:").append(k).append('=').append(String.join(",", v)).append('\n'));
        b.append("body=").append(new String(body, StandardCharsets.UTF_8));
        ex.getResponseHeaders().add("Content-Type", "text/plain");
        ex.getResponseHeaders().add("X-Test", "yes");
        ex.getResponseHeaders().add("X-Multi", "1");
        ex.getResponseHeaders().add("X-Multi", "2");
        send(ex, 200, b.toString());
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new TreeMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] bigBody() {
        byte[] b = new byte[BIG];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + (i >> 12));
        }
        return b;
    }

    // ---- running modules ----

    /** Chicory compiled and interpreted, and wasmtime: the same ABI on every engine. */
    static List<String> engines() {
        return List.of("chicory-compiler", "chicory-interpreter", "wasmtime");
    }

    private static WasmEngine engine(String engine) {
        return ENGINES.computeIfAbsent(engine, name -> switch (name) {
            case "chicory-compiler" -> new ChicoryEngine(true);
            case "chicory-interpreter" -> new ChicoryEngine(false);
            default -> Engines.create(ExperimentalHttpTest.class.getClassLoader(), name,
                    new WasmEngineProvider.Options(false, Optional.empty()));
        });
    }

    private static CompiledModule module(String engine, String name) {
        return COMPILED.computeIfAbsent(engine + ":" + name, k -> compile(engine(engine), name));
    }

    private static CompiledModule compile(WasmEngine engine, String name) {
        try {
            Path file = MODULES.resolve(name + ".wasm");
            return engine.compile(name, Files.readAllBytes(file));
        } catch (IOException | ModuleLoadException e) {
            throw new AssertionError("cannot compile " + name, e);
        }
    }

    static OutboundHttpPolicy policy(List<String> allowed, OptionalInt max, Duration timeout) {
        return new OutboundHttpPolicy(allowed, max, Duration.ofSeconds(5), timeout);
    }

    static final OutboundHttpPolicy LOOPBACK = policy(List.of("http://127.0.0.1"), OptionalInt.empty(), Duration.ofSeconds(10));

    record Result(byte[] stdout, String stderr, ModuleExecutionException failure) {
        String out() {
            return new String(stdout, StandardCharsets.ISO_8859_1);
        }

        List<String> lines() {
            return Arrays.asList(report().split("\n"));
        }

        /** The output before a dumped body. */
        String report() {
            String out = out();
            int body = out.indexOf("\nbody:\n");
            return body < 0 ? out : out.substring(0, body + 1);
        }

        byte[] body() {
            String out = out();
            int body = out.indexOf("\nbody:\n");
            return Arrays.copyOfRange(stdout, body + 7, stdout.length);
        }

        /** The first line starting with the prefix. */
        String line(String prefix) {
            return lines().stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line '" + prefix + "...' in:\n" + out()));
        }

        List<String> linesStartingWith(String prefix) {
            return lines().stream().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
        }
    }

    private static Result run(CompiledModule module, String query, OutboundHttpPolicy policy) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        WasiInvocation invocation = new WasiInvocation("_start", List.of(module.name()),
                Map.of("QUERY_STRING", query, "REQUEST_METHOD", "GET"), Map.of(),
                new ByteArrayInputStream(new byte[0]), out, err, policy);
        ModuleExecutionException failure = null;
        try {
            module.run(invocation);
        } catch (ModuleExecutionException e) {
            failure = e;
        }
        return new Result(out.toByteArray(), err.toString(StandardCharsets.UTF_8), failure);
    }

    private static Result client(String engine, String query, OutboundHttpPolicy policy) {
        Result result = run(module(engine, "http-client"), query, policy);
        if (result.failure() != null) {
            throw new AssertionError("module failed: " + result.failure().getMessage() + "\n" + result.out(), result.failure());
        }
        assertTrue(result.out().startsWith("Content-Type: text/plain\n\n"), result.out());
        return result;
    }

    private static Result client(String engine, String query) {
        return client(engine, query, LOOPBACK);
    }

    private static String enc(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/:".indexOf(c) >= 0) {
                b.append(c);
            } else {
                b.append('%').append(String.format("%02X", x & 0xFF));
            }
        }
        return b.toString();
    }

    /** Captures what the engine logs on java.util.logging (the default System.Logger backend). */
    static final class Captured extends Handler implements AutoCloseable {
        final List<String> messages = new ArrayList<>();
        private final Logger logger;

        Captured(Class<?> source) {
            logger = Logger.getLogger(source.getName());
            logger.addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            Object[] params = record.getParameters();
            messages.add(record.getLevel() + " " + (params == null ? record.getMessage()
                    : MessageFormat.format(record.getMessage(), params)));
        }

        synchronized List<String> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    // ---- success ----

    @ParameterizedTest
    @MethodSource("engines")
    void get(String engine) {
        Result r = client(engine, "url=" + enc(base + "/echo/a%20b") + "&getheader=x-test&dump=1");
        assertEquals("req 0 code=0 status=200 handle=0", r.line("req 0"));
        assertEquals("header x-test code=0 len=3 value=yes", r.line("header x-test"));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("method=GET\npath=/echo/a%20b\n"), body);
        assertTrue(r.line("read ").startsWith("read code=0 reads=2 total=" + r.body().length + " sizes=" + r.body().length + "*1 eof=1"),
                r.line("read "));
        assertEquals("close 0 code=0", r.line("close "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void postWithHeadersAndBody(String engine) {
        Result r = client(engine, "url=" + enc(base + "/echo") + "&method=POST&hdr=X-One:%201&hdr=Content-Type:text/plain"
                + "&hdr=X-Dup:first&hdr=x-dup:second&hdr=Host:evil.example&body=" + enc("hello wörld\n") + "&dump=1");
        assertEquals("req 0 code=0 status=200 handle=0", r.line("req 0"));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("method=POST\n"), body);
        assertTrue(body.contains("\nh:x-one=1\n"), body);
        assertTrue(body.contains("\nh:content-type=text/plain\n"), body);
        assertTrue(body.contains("\nh:x-dup=second\n"), "a later line replaces an earlier one of the same name: " + body);
        assertTrue(body.contains("\nh:host=127.0.0.1:" + port + "\n"), "Host is the client's: " + body);
        assertTrue(body.contains("\nh:content-length=" + "hello wörld\n".getBytes(StandardCharsets.UTF_8).length + "\n"), body);
        assertTrue(body.endsWith("\nbody=hello wörld\n"), body);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void otherMethods(String engine) {
        for (String method : List.of("PUT", "DELETE", "PATCH", "PURGE")) {
            Result r = client(engine, "url=" + enc(base + "/echo") + "&method=" + method + "&body=x&dump=1");
            assertEquals("req 0 code=0 status=200 handle=0", r.line("req 0"));
            assertTrue(new String(r.body(), StandardCharsets.UTF_8).startsWith("method=" + method + "\n"));
        }
        Result head = client(engine, "url=" + enc(base + "/echo") + "&method=HEAD");
        assertEquals("req 0 code=0 status=200 handle=0", head.line("req 0"));
        assertTrue(head.line("read ").startsWith("read code=0 reads=1 total=0 sizes= eof=1"), head.line("read "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void headersGetAll(String engine) {
        Result r = client(engine, "url=" + enc(base + "/echo") + "&allheaders=1&read=0");
        String all = r.out().substring(r.out().indexOf("allheaders code=0"));
        int len = Integer.parseInt(all.substring("allheaders code=0 len=".length(), all.indexOf('\n')));
        String block = all.substring(all.indexOf('\n') + 1, all.indexOf("end-allheaders"));
        assertEquals(len, block.length());
        List<String> lines = Arrays.asList(block.split("\n"));
        assertTrue(lines.contains("content-type:text/plain"), block);
        assertTrue(lines.contains("x-test:yes"), block);
        assertEquals(List.of("x-multi:1", "x-multi:2"),
                lines.stream().filter(l -> l.startsWith("x-multi:")).collect(Collectors.toList()), block);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("content-length:")), block);
        assertTrue(block.endsWith("\n"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void headerGetIsCaseInsensitiveAndGivesTheFirstValue(String engine) {
        Result r = client(engine, "url=" + enc(base + "/echo") + "&getheader=X-MULTI&getheader=Content-Type&read=0");
        assertEquals("header X-MULTI code=0 len=1 value=1", r.line("header X-MULTI"));
        assertEquals("header Content-Type code=0 len=10 value=text/plain", r.line("header Content-Type"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void headerBytesComeBackRaw(String engine) {
        Result utf8 = client(engine, "url=" + enc(base + "/utf8") + "&getheader=x-utf8&allheaders=1&read=0");
        assertEquals("header x-utf8 code=0 len=5 value=caf\u00c3\u00a9", utf8.line("header x-utf8")); // UTF-8 bytes, read as Latin-1
        assertTrue(utf8.out().contains("\nx-utf8:caf\u00c3\u00a9\n"), utf8.out());
        Result latin = client(engine, "url=" + enc(base + "/latin") + "&getheader=x-latin&read=0");
        assertEquals("header x-latin code=0 len=4 value=caf\u00e9", latin.line("header x-latin"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void largeBodyReadInChunks(String engine) {
        Result r = client(engine, "url=" + enc(base + "/big") + "&chunk=1000&dump=1");
        assertEquals("req 0 code=0 status=200 handle=0", r.line("req 0"));
        // every read fills the buffer until the body ends, as the reference's
        assertTrue(r.line("read ").startsWith("read code=0 reads=3147 total=3145728 sizes=1000*3145,728*1 eof=1"), r.line("read "));
        assertArrayEquals(bigBody(), r.body());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void largeBodyReadInOddAndLargeChunks(String engine) {
        Result r = client(engine, "url=" + enc(base + "/big") + "&chunk=200001&dump=1");
        assertTrue(r.line("read ").startsWith("read code=0 reads=17 total=3145728 sizes=200001*15,145713*1 eof=1"), r.line("read "));
        assertArrayEquals(bigBody(), r.body());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void handlesCountFromZeroAndSkipOpenOnes(String engine) {
        Result open = client(engine, "url=" + enc(base + "/echo") + "&n=3&read=0");
        assertEquals(List.of("req 0 code=0 status=200 handle=0", "req 1 code=0 status=200 handle=1", "req 2 code=0 status=200 handle=2"),
                open.linesStartingWith("req "));
        assertEquals(List.of("close 0 code=0", "close 1 code=0", "close 2 code=0"), open.linesStartingWith("close "));
        Result reused = client(engine, "url=" + enc(base + "/echo") + "&n=3&closeeach=1&read=0");
        assertEquals(List.of("req 0 code=0 status=200 handle=0", "req 1 code=0 status=200 handle=0", "req 2 code=0 status=200 handle=0"),
                reused.linesStartingWith("req "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closeOfUnknownHandleIsSuccess(String engine) {
        Result r = client(engine, "handle=99&read=0");
        assertEquals("close 99 code=0", r.line("close "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void redirectsAreFollowed(String engine) {
        Result r = client(engine, "url=" + enc(base + "/redirect?to=" + enc("/echo/moved")) + "&dump=1");
        assertEquals("req 0 code=0 status=200 handle=0", r.line("req 0"));
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).startsWith("method=GET\npath=/echo/moved\n"));

        Result see = client(engine, "url=" + enc(base + "/redirect?code=303&to=" + enc(base + "/echo/other"))
                + "&method=POST&body=data&hdr=Content-Type:text/plain&dump=1");
        String seeBody = new String(see.body(), StandardCharsets.UTF_8);
        assertTrue(seeBody.startsWith("method=GET\npath=/echo/other\n"), seeBody);
        assertTrue(seeBody.endsWith("\nbody="), seeBody);
        assertTrue(!seeBody.contains("h:content-type"), seeBody);

        Result keep = client(engine, "url=" + enc(base + "/redirect?code=307&to=" + enc("/echo/same")) + "&method=POST&body=data&dump=1");
        String keepBody = new String(keep.body(), StandardCharsets.UTF_8);
        assertTrue(keepBody.startsWith("method=POST\npath=/echo/same\n"), keepBody);
        assertTrue(keepBody.endsWith("\nbody=data"), keepBody);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void redirectLoopIsRequestError(String engine) {
        Result r = client(engine, "url=" + enc(base + "/loop"));
        assertEquals("req 0 code=11", r.line("req 0"));
        // a redirect without Location is no redirect: the module gets the 302 itself
        Result bare = client(engine, "url=" + enc(base + "/redirect") + "&read=0");
        assertEquals("req 0 code=0 status=302 handle=0", bare.line("req 0"));
    }

    // ---- error codes ----

    @ParameterizedTest
    @MethodSource("engines")
    void invalidHandle(String engine) {
        Result r = client(engine, "handle=7&getheader=x-test&allheaders=1");
        assertEquals("header x-test code=1", r.line("header "));
        assertEquals("allheaders code=1", r.line("allheaders "));
        // the reference panics here (unwrap); we return invalid_handle
        assertTrue(r.line("read ").startsWith("read code=1 reads=0 total=0"), r.line("read "));
        assertEquals("close 7 code=0", r.line("close "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void memoryNotFound(String engine) {
        Result r = run(module(engine, "http-nomem"), "", LOOPBACK);
        assertNull(r.failure());
        assertEquals("Content-Type: text/plain\n\nreq=2\nclose=0\nheader_get=2\nheaders_get_all=2\nbody_read=2\n", r.out());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void memoryAccessErrorForOutputs(String engine) {
        String url = "url=" + enc(base + "/echo");
        assertEquals("req 0 code=3", client(engine, url + "&bad=status").line("req 0"));
        assertEquals("req 0 code=3", client(engine, url + "&bad=handle").line("req 0"));
        assertEquals("header x-test code=3", client(engine, url + "&getheader=x-test&bad=hvalue&read=0").line("header "));
        assertEquals("header x-test code=3", client(engine, url + "&getheader=x-test&bad=hwritten&read=0").line("header "));
        assertEquals("allheaders code=3", client(engine, url + "&allheaders=1&bad=abuf&read=0").line("allheaders "));
        assertEquals("allheaders code=3", client(engine, url + "&allheaders=1&bad=awritten&read=0").line("allheaders "));
        assertTrue(client(engine, url + "&bad=rbuf").line("read ").startsWith("read code=3 reads=0"));
        assertTrue(client(engine, url + "&bad=rread").line("read ").startsWith("read code=3 reads=0"));
        // a failed write of the status or handle leaves no response open: the next handle is 0 again
        Result after = client(engine, url + "&n=2&bad=status&read=0");
        assertEquals(List.of("req 0 code=3", "req 1 code=3"), after.linesStartingWith("req "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void inputsOutOfMemoryAreBufferTooSmall(String engine) {
        String url = "url=" + enc(base + "/echo");
        assertEquals("req 0 code=4", client(engine, url + "&bad=url").line("req 0"));
        assertEquals("req 0 code=4", client(engine, url + "&bad=method").line("req 0"));
        assertEquals("req 0 code=4", client(engine, url + "&bad=headers&hdr=X-A:1").line("req 0"));
        assertEquals("req 0 code=4", client(engine, url + "&bad=body&body=abc").line("req 0"));
        assertEquals("header x-test code=4", client(engine, url + "&getheader=x-test&bad=hname&read=0").line("header "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void bufferTooSmall(String engine) {
        Result r = client(engine, "url=" + enc(base + "/echo") + "&getheader=x-test&hbuf=2&allheaders=1&abuf=10&read=0");
        assertEquals("header x-test code=4", r.line("header "));
        assertEquals("allheaders code=4", r.line("allheaders "));
        Result exact = client(engine, "url=" + enc(base + "/echo") + "&getheader=x-test&hbuf=3&read=0");
        assertEquals("header x-test code=0 len=3 value=yes", exact.line("header "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void headerNotFound(String engine) {
        Result r = client(engine, "url=" + enc(base + "/echo") + "&getheader=x-missing&getheader=not%20a%20name&read=0");
        assertEquals("header x-missing code=5", r.line("header x-missing"));
        assertEquals("header not a name code=5", r.line("header not a name"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void utf8Error(String engine) {
        String url = "url=" + enc(base + "/echo");
        assertEquals("req 0 code=6", client(engine, url + "&badutf8=url").line("req 0"));
        assertEquals("req 0 code=6", client(engine, url + "&badutf8=method").line("req 0"));
        assertEquals("req 0 code=6", client(engine, url + "&badutf8=headers&hdr=X-A:1").line("req 0"));
        assertEquals("header x-test code=6", client(engine, url + "&getheader=x-test&badutf8=hname&read=0").line("header "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void deniedHost(String engine) {
        String denied = "http://localhost:" + port + "/echo?token=1";
        try (Captured log = new Captured(ExperimentalHttpSession.class)) {
            Result r = client(engine, "url=" + enc(denied));
            assertEquals("req 0 code=7", r.line("req 0"));
            assertTrue(log.messages().contains("WARNING denied outbound request to " + denied + " from http-client"), log.messages().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void denyAllByDefault(String engine) {
        Result r = client(engine, "url=" + enc(base + "/echo"), OutboundHttpPolicy.DENY_ALL);
        assertEquals("req 0 code=7", r.line("req 0"));
        Result empty = client(engine, "url=" + enc(base + "/echo"), policy(List.of(), OptionalInt.empty(), Duration.ofSeconds(5)));
        assertEquals("req 0 code=7", empty.line("req 0"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void allowAll(String engine) {
        Result r = client(engine, "url=" + enc("http://localhost:" + port + "/echo") + "&read=0",
                policy(List.of("insecure:allow-all"), OptionalInt.empty(), Duration.ofSeconds(5)));
        assertEquals("req 0 code=0 status=200 handle=0", r.line("req 0"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void strictEntryChecksPort(String engine) {
        OutboundHttpPolicy right = policy(List.of("strict:http://127.0.0.1:" + port), OptionalInt.empty(), Duration.ofSeconds(5));
        assertEquals("req 0 code=0 status=200 handle=0", client(engine, "url=" + enc(base + "/echo") + "&read=0", right).line("req 0"));
        OutboundHttpPolicy wrongPort = policy(List.of("strict:http://127.0.0.1:1"), OptionalInt.empty(), Duration.ofSeconds(5));
        assertEquals("req 0 code=7", client(engine, "url=" + enc(base + "/echo"), wrongPort).line("req 0"));
        OutboundHttpPolicy wrongScheme = policy(List.of("strict:https://127.0.0.1:" + port), OptionalInt.empty(), Duration.ofSeconds(5));
        assertEquals("req 0 code=7", client(engine, "url=" + enc(base + "/echo"), wrongScheme).line("req 0"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void redirectToDeniedHost(String engine) {
        String target = "http://localhost:" + port + "/echo";
        try (Captured log = new Captured(ExperimentalHttpSession.class)) {
            Result r = client(engine, "url=" + enc(base + "/redirect?to=" + enc(target)));
            assertEquals("req 0 code=7", r.line("req 0"));
            assertTrue(log.messages().stream().anyMatch(m -> m.startsWith("WARNING denied outbound request to " + target + " (redirected from ")),
                    log.messages().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void invalidMethod(String engine) {
        String url = "url=" + enc(base + "/echo");
        assertEquals("req 0 code=8", client(engine, url + "&method=G%20T").line("req 0"));
        assertEquals("req 0 code=8", client(engine, url + "&method=").line("req 0"));
        assertEquals("req 0 code=8", client(engine, url + "&method=GET%0A").line("req 0"));
        assertEquals("req 0 code=8", client(engine, url + "&method=CONNECT").line("req 0"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void invalidEncoding(String engine) {
        String url = "url=" + enc(base + "/echo");
        assertEquals("req 0 code=9", client(engine, url + "&hdr=Bad%20Name:x").line("req 0"));
        assertEquals("req 0 code=9", client(engine, url + "&hdr=no-colon").line("req 0"));
        assertEquals("req 0 code=9", client(engine, url + "&hdr=:empty-name").line("req 0"));
        assertEquals("req 0 code=9", client(engine, url + "&hdr=X-A:1&hdr=&hdr=X-B:2").line("req 0")); // an empty line
        assertEquals("req 0 code=9", client(engine, url + "&hdr=X-Ctl:a%01b").line("req 0"));
        assertEquals("req 0 code=9", client(engine, url + "&hdr=X-Utf:caf%C3%A9").line("req 0"));
        // what is fine: CRLF line ends, an empty value, a trailing newline
        assertEquals("req 0 code=0 status=200 handle=0",
                client(engine, url + "&hdr=X-A:1%0D&hdr=X-Empty:&read=0").line("req 0"));
        assertEquals("req 0 code=0 status=200 handle=0", client(engine, url + "&hdr=X-A:1&hdr=&read=0").line("req 0"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void invalidUrl(String engine) {
        assertEquals("req 0 code=10", client(engine, "url=not%20a%20url").line("req 0"));
        assertEquals("req 0 code=10", client(engine, "url=mailto:someone@example.com").line("req 0"));
        assertEquals("req 0 code=10", client(engine, "url=/relative").line("req 0"));
        // the URL is checked before the allow-list, so even a route that may reach nothing says 10
        assertEquals("req 0 code=10", client(engine, "url=http://", OutboundHttpPolicy.DENY_ALL).line("req 0"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void invalidAllowListEntry(String engine) {
        OutboundHttpPolicy broken = policy(List.of("http://127.0.0.1", "127.0.0.1"), OptionalInt.empty(), Duration.ofSeconds(5));
        assertEquals("req 0 code=10", client(engine, "url=" + enc(base + "/echo"), broken).line("req 0"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void slowUpstreamHitsRequestTimeout(String engine) {
        OutboundHttpPolicy quick = policy(List.of("http://127.0.0.1"), OptionalInt.empty(), Duration.ofMillis(300));
        long start = System.nanoTime();
        Result r = client(engine, "url=" + enc(base + "/slow"), quick);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("req 0 code=11", r.line("req 0"));
        assertTrue(millis < 2500, "took " + millis + " ms");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void slowBodyHitsTimeout(String engine) {
        OutboundHttpPolicy quick = policy(List.of("http://127.0.0.1"), OptionalInt.empty(), Duration.ofMillis(300));
        Result r = client(engine, "url=" + enc(base + "/slowbody") + "&chunk=100", quick);
        assertEquals("req 0 code=0 status=200 handle=0", r.line("req 0"));
        // the bytes that came are handed over; then the wait for more times out
        assertTrue(r.line("read ").startsWith("read code=11 reads=1 total=5 sizes=5*1 eof=0"), r.line("read "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void runtimeErrorForHeaderThatIsNotUtf8(String engine) {
        Result r = client(engine, "url=" + enc(base + "/latin") + "&allheaders=1&read=0");
        assertEquals("allheaders code=12", r.line("allheaders "));
    }

    /** Chicory only: a closed wasmtime engine runs nothing at all (the run fails as INTERRUPTED). */
    @Test
    void runtimeErrorAfterEngineClose() {
        ChicoryEngine engine = new ChicoryEngine(false);
        CompiledModule module = compile(engine, "http-client");
        engine.close();
        Result r = run(module, "url=" + enc(base + "/echo"), LOOPBACK);
        assertNull(r.failure());
        assertEquals("req 0 code=12", r.line("req 0"));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void tooManySessions(String engine) {
        OutboundHttpPolicy two = policy(List.of("http://127.0.0.1"), OptionalInt.of(2), Duration.ofSeconds(5));
        Result r = client(engine, "url=" + enc(base + "/echo") + "&n=3&read=0", two);
        assertEquals(List.of("req 0 code=0 status=200 handle=0", "req 1 code=0 status=200 handle=1", "req 2 code=13"),
                r.linesStartingWith("req "));
        // closed responses do not count
        Result closing = client(engine, "url=" + enc(base + "/echo") + "&n=3&closeeach=1&read=0",
                policy(List.of("http://127.0.0.1"), OptionalInt.of(1), Duration.ofSeconds(5)));
        assertEquals(List.of("req 0 code=0 status=200 handle=0", "req 1 code=0 status=200 handle=0", "req 2 code=0 status=200 handle=0"),
                closing.linesStartingWith("req "));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void zeroConcurrencyRefusesAll(String engine) {
        Result r = client(engine, "url=" + enc(base + "/echo"), policy(List.of("http://127.0.0.1"), OptionalInt.of(0), Duration.ofSeconds(5)));
        assertEquals("req 0 code=13", r.line("req 0"));
    }

    // ---- linking and the end of a run ----

    @ParameterizedTest
    @MethodSource("engines")
    void onlyReqAndClose(String engine) {
        CompiledModule module = module(engine, "http-req-close");
        Result denied = run(module, "", OutboundHttpPolicy.DENY_ALL);
        assertNull(denied.failure());
        assertEquals("Content-Type: text/plain\n\nreq=7\nclose=0\n", denied.out());
        Result refused = run(module, "", LOOPBACK); // nothing listens on 127.0.0.1:1
        assertNull(refused.failure());
        assertEquals("Content-Type: text/plain\n\nreq=11\nclose=0\n", refused.out());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void unknownFunctionFailsToLink(String engine) {
        Result r = run(module(engine, "http-frobnicate"), "", LOOPBACK);
        assertNotNull(r.failure());
        assertEquals(Kind.LINK, r.failure().kind());
        assertTrue(r.failure().getMessage().contains("wasi_experimental_http::frobnicate"), r.failure().getMessage());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void wrongTypeFailsToLink(String engine) {
        Result r = run(module(engine, "http-badtype"), "", LOOPBACK);
        assertNotNull(r.failure());
        assertEquals(Kind.LINK, r.failure().kind());
        assertTrue(r.failure().getMessage().contains("wasi_experimental_http::close"), r.failure().getMessage());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void responsesLeftOpenAreClosedWhenTheRunEnds(String engine) throws InterruptedException {
        endlessStopped = new CountDownLatch(1);
        Result r = client(engine, "url=" + enc(base + "/endless") + "&keep=1&read=0");
        assertEquals("req 0 code=0 status=200 handle=0", r.line("req 0"));
        assertTrue(r.linesStartingWith("close ").isEmpty());
        assertTrue(endlessStopped.await(10, TimeUnit.SECONDS), "the upstream connection was not closed");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void responsesLeftOpenAreClosedAfterATrap(String engine) throws InterruptedException {
        endlessStopped = new CountDownLatch(1);
        Result r = run(module(engine, "http-client"), "url=" + enc(base + "/endless") + "&keep=1&maxreads=2&chunk=10&trap=1", LOOPBACK);
        assertNotNull(r.failure());
        assertEquals(Kind.TRAP, r.failure().kind());
        assertTrue(endlessStopped.await(10, TimeUnit.SECONDS), "the upstream connection was not closed");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void interruptWhileWaitingEndsTheRun(String engine) throws Exception {
        AtomicReference<Result> result = new AtomicReference<>();
        CompiledModule module = module(engine, "http-client");
        Thread runner = new Thread(() -> result.set(run(module, "url=" + enc(base + "/slow"), LOOPBACK)));
        runner.start();
        Thread.sleep(300);
        runner.interrupt();
        runner.join(5000);
        assertNotNull(result.get(), "the run did not end");
        assertNotNull(result.get().failure());
        assertEquals(Kind.INTERRUPTED, result.get().failure().kind());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void modulesWithoutHttpImportsRunAsBefore(String engine) {
        Result r = run(module(engine, "hello"), "", OutboundHttpPolicy.DENY_ALL);
        assertNull(r.failure());
        assertEquals("Content-Type: text/plain\n\nHello, world!\n", r.out());
    }

    @Test
    void linkageOfTheModules() throws IOException {
        ExperimentalHttp.Linkage client = ExperimentalHttp.link(com.dylibso.chicory.wasm.Parser.parse(
                Files.readAllBytes(MODULES.resolve("http-client.wasm"))));
        assertEquals(List.of("body_read", "close", "header_get", "headers_get_all", "req"),
                client.functions().stream().sorted().collect(Collectors.toList()));
        assertTrue(client.memoryExported());
        assertNull(client.problem());
        ExperimentalHttp.Linkage hello = ExperimentalHttp.link(com.dylibso.chicory.wasm.Parser.parse(
                Files.readAllBytes(MODULES.resolve("hello.wasm"))));
        assertTrue(!hello.used());
    }
}
