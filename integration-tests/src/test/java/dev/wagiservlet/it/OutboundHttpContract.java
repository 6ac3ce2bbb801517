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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound HTTP ({@code wasi_experimental_http}) from a module built against the reference guest
 * ABI (modules/c/http-client.c), through the filter in a real container, to a loopback upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OutboundHttpContract {

    abstract ServletContainer newContainer();

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer upstream;
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
        upstream.start();
        upstreamBase = "http://127.0.0.1:" + upstream.getAddress().getPort();
        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "http-client");
        Path toml = modules.resolve("modules.toml");
        Files.writeString(toml, """
                [[module]]
                route = "/http"
                module = "wasm/http-client.wasm"
                allowed_hosts = ["http://127.0.0.1"]
                http_max_concurrency = 2
                http_timeout = "2s"
                """);
        container = newContainer().deploy("/wagi", TestWebapps.war()).env("WAGI_MODULES_TOML", toml.toString()).start();
    }

    @AfterAll
    void stop() {
        if (container != null) container.close();
        if (upstream != null) upstream.stop(0);
    }

    private HttpResponse<String> send(String query, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(container.uri("/wagi/http?" + query));
        b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Test
    void getWithAResponseHeader() throws Exception {
        HttpResponse<String> r = send("url=" + enc(upstreamBase + "/echo") + "&getheader=x-upstream&dump=1", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("req 0 code=0 status=200 handle=0"), r.body());
        assertTrue(r.body().contains("header x-upstream code=0 len=3 value=yes"), r.body());
        assertTrue(r.body().endsWith("body:\nupstream saw GET x-from-module=null body="), r.body());
    }

    @Test
    void postWithARequestHeaderAndTheClientsBody() throws Exception {
        HttpResponse<String> r = send("url=" + enc(upstreamBase + "/echo") + "&method=POST&hdr=" + enc("X-From-Module:1")
                + "&stdinbody=1&dump=1", "client body");
        assertTrue(r.body().endsWith("body:\nupstream saw POST x-from-module=1 body=client body"), r.body());
    }

    @Test
    void deniedHostAndTooManyOpenResponses() throws Exception {
        assertTrue(send("url=" + enc("http://localhost:1/"), null).body().contains("req 0 code=7"));
        assertTrue(container.awaitLog("[/http] denied outbound request to http://localhost:1/", Duration.ofSeconds(10)),
                "the log names the route and the URL");
        HttpResponse<String> r = send("url=" + enc(upstreamBase + "/echo") + "&n=3&read=0", null);
        assertTrue(r.body().contains("req 2 code=13"), r.body());
    }
}
