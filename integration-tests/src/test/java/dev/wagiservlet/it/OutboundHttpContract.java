package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.wagiservlet.it.support.ServletContainer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outbound HTTP ({@code wasi_experimental_http}) from a module built against the reference guest
 * ABI (modules/c/http-client.c), through the filter in a real container, to a loopback upstream:
 * every test on both engines (the same routes under {@code /chicory} and {@code /wasmtime}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OutboundHttpContract {

    private static final List<String> ENGINES = List.of("chicory", "wasmtime");

    abstract ServletContainer newContainer();

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer upstream;
    private ExecutorService upstreamThreads;
    private ServletContainer container;
    private String upstreamBase;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/echo", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String text = "upstream saw " + ex.getRequestMethod() + " x-from-module=" + ex.getRequestHeaders().getFirst("X-From-Module")
                    + " body=" + new String(body, StandardCharsets.UTF_8);
            byte[] out = text.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Upstream", "yes");
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream o = ex.getResponseBody()) { o.write(out); }
        });
        upstream.createContext("/slow", ex -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        upstreamThreads = Executors.newCachedThreadPool(); // /slow must not hold up the others
        upstream.setExecutor(upstreamThreads);
        upstream.start();
        upstreamBase = "http://127.0.0.1:" + upstream.getAddress().getPort();
        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "http-client");
        Path toml = modules.resolve("modules.toml");
        StringBuilder routes = new StringBuilder();
        for (String engine : ENGINES) {
            routes.append("""
                    [[module]]
                    route = "/%1$s/http"
                    module = "wasm/http-client.wasm"
                    engine = "%1$s"
                    allowed_hosts = ["http://127.0.0.1"]
                    http_max_concurrency = 2
                    http_timeout = "2s"

                    [[module]]
                    route = "/%1$s/slow"
                    module = "wasm/http-client.wasm"
                    engine = "%1$s"
                    allowed_hosts = ["http://127.0.0.1"]
                    http_timeout = "30s"
                    timeout = "1s"

                    """.formatted(engine));
        }
        Files.writeString(toml, routes.toString());
        container = newContainer().deploy("/wagi", TestWebapps.war()).env("WAGI_MODULES_TOML", toml.toString()).start();
    }

    @AfterAll
    void stop() {
        if (container != null) container.close();
        if (upstream != null) upstream.stop(0);
        if (upstreamThreads != null) upstreamThreads.shutdownNow();
    }

    private HttpResponse<String> send(String engine, String query, String body) throws Exception {
        return send(engine, "http", query, body);
    }

    private HttpResponse<String> send(String engine, String route, String query, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(container.uri("/wagi/" + engine + "/" + route + "?" + query));
        b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @ParameterizedTest
    @ValueSource(strings = {"chicory", "wasmtime"})
    void getWithAResponseHeader(String engine) throws Exception {
        HttpResponse<String> r = send(engine, "url=" + enc(upstreamBase + "/echo") + "&getheader=x-upstream&dump=1", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("req 0 code=0 status=200 handle=0"), r.body());
        assertTrue(r.body().contains("header x-upstream code=0 len=3 value=yes"), r.body());
        assertTrue(r.body().endsWith("body:\nupstream saw GET x-from-module=null body="), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chicory", "wasmtime"})
    void postWithARequestHeaderAndTheClientsBody(String engine) throws Exception {
        HttpResponse<String> r = send(engine, "url=" + enc(upstreamBase + "/echo") + "&method=POST&hdr=" + enc("X-From-Module:1")
                + "&stdinbody=1&dump=1", "client body");
        assertTrue(r.body().endsWith("body:\nupstream saw POST x-from-module=1 body=client body"), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chicory", "wasmtime"})
    void deniedHostAndTooManyOpenResponses(String engine) throws Exception {
        assertTrue(send(engine, "url=" + enc("http://localhost:1/"), null).body().contains("req 0 code=7"));
        assertTrue(container.awaitLog("[/" + engine + "/http] denied outbound request to http://localhost:1/", Duration.ofSeconds(10)),
                "the log names the route and the URL");
        HttpResponse<String> r = send(engine, "url=" + enc(upstreamBase + "/echo") + "&n=3&read=0", null);
        assertTrue(r.body().contains("req 2 code=13"), r.body());
    }

    /** A run waiting for a slow upstream ends at the route's timeout (1 s), not at the upstream's answer (10 s). */
    @ParameterizedTest
    @ValueSource(strings = {"chicory", "wasmtime"})
    void aRunWaitingForTheUpstreamEndsAtTheRoutesTimeout(String engine) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = send(engine, "slow", "url=" + enc(upstreamBase + "/slow"), null);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(504, r.statusCode(), r.body());
        assertTrue(millis < 8000, "took " + millis + " ms");
    }
}
