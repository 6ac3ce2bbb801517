package dev.wagiservlet.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteMetricsTest {

    static RouteInfo info(String route) {
        return new RouteInfo(route, Set.of(), Path.of("/srv/wasm/" + route.replaceAll("[^a-z]", "") + ".wasm"), "_start", "chicory");
    }

    @Test
    void countsRequestsInFlightStatusesAndErrors() {
        RouteMetrics metrics = new RouteMetrics(info("/hello"));
        long first = metrics.begin();
        long second = metrics.begin();
        assertEquals(2, metrics.requests());
        assertEquals(2, metrics.inFlight());
        metrics.end(first, 200);
        metrics.error(ErrorKind.TIMEOUT);
        metrics.end(second, 504);
        metrics.aborted();
        assertEquals(0, metrics.inFlight());
        assertEquals(1, metrics.errors());
        assertEquals(1, metrics.errors(ErrorKind.TIMEOUT));
        assertEquals(1, metrics.abortedCount());
        assertEquals(Map.of("1xx", 0L, "2xx", 1L, "3xx", 0L, "4xx", 0L, "5xx", 1L), metrics.responsesByStatusClass());
        assertEquals(2, metrics.latency().count());
        Map<String, Long> errors = metrics.errorsByKind();
        assertEquals(ErrorKind.ALL.size(), errors.size(), "every kind, zeros too");
        assertEquals(1L, errors.get("timeout"));
        assertEquals(0L, errors.get("bad-cgi"));
    }

    @Test
    void oddStatusesAreNotCountedAsAClass() {
        RouteMetrics metrics = new RouteMetrics(info("/x"));
        metrics.end(metrics.begin(), 0);
        metrics.end(metrics.begin(), 600);
        assertEquals(2, metrics.requests());
        assertEquals(0, metrics.responsesByStatusClass().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void labelsAreLowerCaseWithDashes() {
        for (ErrorKind kind : ErrorKind.ALL) {
            assertEquals(kind.name().toLowerCase().replace('_', '-'), kind.label());
        }
    }

    @Test
    void keyNamesHostsSorted() {
        assertEquals("/a", info("/a").key());
        assertEquals("/a a.example:8080,b.example",
                new RouteInfo("/a", Set.of("b.example", "a.example:8080"), Path.of("m.wasm"), "_start", "chicory").key());
    }
}
