package dev.wagiservlet.metrics;

import static dev.wagiservlet.metrics.RouteMetricsTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    private static FilterMetrics sample() {
        FilterMetrics metrics = new FilterMetrics("wagi", "/app");
        RouteInfo hostile = new RouteInfo("/x/<script>alert(1)</script>/...", Set.of("a.example"),
                Path.of("/srv/\"quoted\" & <odd>.wasm"), "run\u2028it", "wasmtime");
        List<RouteMetrics> routes = metrics.bind(List.of(info("/hello"), hostile));
        RouteMetrics hello = routes.get(0);
        for (int i = 0; i < 10; i++) {
            hello.end(hello.begin(), 200);
        }
        hello.error(ErrorKind.TRAP);
        hello.end(hello.begin(), 500);
        metrics.modules().compiled(hello.info().module(), 4321, 12_500_000, null, 2);
        metrics.modules().compiled(hostile.module(), 9, 1_000_000, "not a module: <bad>", 0);
        metrics.modules().hit();
        metrics.modules().miss();
        metrics.started(700_000_000);
        return metrics;
    }

    @Test
    void jsonHasEveryRouteAndItsMetrics() throws Exception {
        FilterMetrics metrics = sample();
        JsonNode json = new ObjectMapper().readTree(StatusReport.json(metrics, metrics.startedAt().plus(Duration.ofSeconds(95))));
        assertEquals("wagi", json.get("filter").asText());
        assertEquals("/app", json.get("webapp").asText());
        assertEquals(700, json.get("startupMillis").asLong());
        assertEquals(95, json.get("uptimeSeconds").asLong());
        assertEquals(11, json.get("requests").asLong());
        assertEquals(1, json.get("errors").asLong());
        assertEquals(0.5, json.get("moduleCache").get("hitRatio").asDouble());
        assertEquals(2, json.get("moduleCache").get("compilations").asLong());
        assertEquals(1, json.get("moduleCache").get("compileFailures").asLong());

        JsonNode hello = json.get("routes").get(0);
        assertEquals("/hello", hello.get("route").asText());
        assertEquals("/srv/wasm/hello.wasm", hello.get("module").asText());
        assertEquals(4321, hello.get("moduleSize").asLong());
        assertEquals("_start", hello.get("entrypoint").asText());
        assertEquals("compiled", hello.get("compile").get("state").asText());
        assertEquals(12.5, hello.get("compile").get("millis").asDouble());
        assertEquals(2, hello.get("compile").get("interpretedFunctions").asInt());
        assertEquals("chicory", hello.get("engine").asText());
        assertEquals(11, hello.get("requests").asLong());
        assertEquals(1, hello.get("errors").get("total").asLong());
        assertEquals(1, hello.get("errors").get("trap").asLong());
        assertEquals(0, hello.get("errors").get("bad-cgi").asLong());
        assertEquals(10, hello.get("responses").get("2xx").asLong());
        assertEquals(11, hello.get("latencyMillis").get("count").asLong());
        assertTrue(hello.get("latencyMillis").get("p99").asDouble() <= hello.get("latencyMillis").get("max").asDouble());

        JsonNode hostile = json.get("routes").get(1);
        assertEquals("/x/<script>alert(1)</script>/...", hostile.get("route").asText());
        assertEquals("a.example", hostile.get("hosts").get(0).asText());
        assertEquals("run\u2028it", hostile.get("entrypoint").asText());
        assertEquals("failed", hostile.get("compile").get("state").asText());
        assertEquals("wasmtime", hostile.get("engine").asText());
        assertEquals("not a module: <bad>", hostile.get("compile").get("failure").asText());
        assertFalse(StatusReport.json(metrics, Instant.now()).contains("<"), "no raw < in JSON, so it cannot close a script");
    }

    @Test
    void htmlEscapesEverythingAndNeedsNothingElse() {
        String html = StatusReport.html(sample(), Instant.now(), "?format=json&x=\"y\"");
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("<script"), html);
        assertTrue(html.contains("/x/&lt;script&gt;alert(1)&lt;/script&gt;/..."));
        assertTrue(html.contains("&quot;quoted&quot; &amp; &lt;odd&gt;.wasm"));
        assertTrue(html.contains("href=\"?format=json&amp;x=&quot;y&quot;\""));
        assertTrue(html.contains("<code>/hello</code>"));
        assertTrue(html.contains("4321 bytes, on chicory"));
        assertTrue(html.contains("on wasmtime"));
        assertTrue(html.contains("\">2 functions interpreted</div>"), html);
        assertTrue(html.contains("engine = &quot;wasmtime&quot; or &quot;auto&quot; runs the module natively"), html);
        assertTrue(html.contains("trap 1"));
        assertTrue(html.contains("2xx 10, 5xx 1"));
        assertTrue(html.contains("12.50 ms"), "compile time");
        for (String external : List.of("src=", "<link", "@import", "url(", "http://", "https://")) {
            assertFalse(html.contains(external), "no external asset: " + external);
        }
    }

    @Test
    void durationsAndMillisAreShort() {
        assertEquals("42s", StatusReport.duration(Duration.ofSeconds(42)));
        assertEquals("5m 3s", StatusReport.duration(Duration.ofSeconds(303)));
        assertEquals("2h 5m", StatusReport.duration(Duration.ofMinutes(125)));
        assertEquals("3d 1h", StatusReport.duration(Duration.ofHours(73)));
        assertEquals("0.25", StatusReport.millis(0.25));
        assertEquals("1234", StatusReport.millis(1234.4));
    }
}
