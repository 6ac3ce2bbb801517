package dev.wagiservlet.metrics;

import static dev.wagiservlet.metrics.RouteMetricsTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FilterMetricsTest {

    /** Remembers what it was told. */
    static final class RecordingExporter implements MetricsExporter {
        final List<String> events = new ArrayList<>();

        @Override
        public void routeAdded(RouteMetrics route) {
            events.add("+" + route.info().key());
        }

        @Override
        public void routeRemoved(RouteMetrics route) {
            events.add("-" + route.info().key());
        }

        @Override
        public void close() {
            events.add("close");
        }
    }

    @Test
    void aRouteKeepsItsMetricsAcrossReloadsWhileItStaysTheSame() {
        FilterMetrics metrics = new FilterMetrics("wagi", "/app");
        RecordingExporter exporter = new RecordingExporter();
        List<RouteMetrics> first = metrics.bind(List.of(info("/a"), info("/b"), info("/c")));
        metrics.export(exporter);
        assertEquals(List.of("+/a", "+/b", "+/c"), exporter.events, "routes bound before the exporter are replayed");
        first.get(0).end(first.get(0).begin(), 200);

        RouteInfo changedModule = new RouteInfo("/b", Set.of(), Path.of("/elsewhere/b.wasm"), "_start", "chicory");
        List<RouteMetrics> second = metrics.bind(List.of(info("/d"), info("/a"), changedModule));
        assertSame(first.get(0), second.get(1), "/a unchanged: same metrics, its count kept");
        assertEquals(1, second.get(1).requests());
        assertNotSame(first.get(1), second.get(2), "/b has another module: fresh metrics");
        assertEquals(List.of("+/a", "+/b", "+/c", "-/b", "-/c", "+/d", "+/b"), exporter.events);
        assertEquals(List.of("/d", "/a", "/b"), metrics.routes().stream().map(r -> r.info().route()).toList());
        assertEquals(1, metrics.requests());

        metrics.close();
        assertEquals("close", exporter.events.get(exporter.events.size() - 1));
    }

    @Test
    void moduleStatesOfModulesNoRouteUsesAreForgotten() {
        FilterMetrics metrics = new FilterMetrics("wagi", "/");
        metrics.modules().compiled(info("/a").module(), 10, 1_000_000, null, 0);
        metrics.modules().compiled(info("/b").module(), 20, 2_000_000, "not a module", 0);
        metrics.bind(List.of(info("/a")));
        assertTrue(metrics.modules().state(info("/a").module()).isPresent());
        assertTrue(metrics.modules().state(info("/b").module()).isEmpty());
        assertEquals(2, metrics.modules().compilations(), "totals stay");
        assertEquals(1, metrics.modules().compileFailures());
    }

    @Test
    void aFailingExporterDoesNotStopTheOthers() {
        FilterMetrics metrics = new FilterMetrics("wagi", "/");
        RecordingExporter good = new RecordingExporter();
        metrics.export(new MetricsExporter() {
            @Override
            public void routeAdded(RouteMetrics route) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void routeRemoved(RouteMetrics route) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void close() {
                throw new IllegalStateException("boom");
            }
        });
        metrics.export(good);
        metrics.bind(List.of(info("/a")));
        metrics.close();
        assertEquals(List.of("+/a", "close"), good.events);
    }

    @Test
    void moduleMetricsCountHitsMissesAndCompiles() {
        ModuleMetrics modules = new ModuleMetrics();
        assertEquals(0, modules.hitRatio());
        modules.miss();
        modules.hit();
        modules.hit();
        modules.hit();
        assertEquals(0.75, modules.hitRatio());
        Path file = Path.of("/m.wasm");
        modules.compiled(file, 100, 5_000_000, null, 0);
        modules.compiled(file, 120, 3_000_000, null, 0);
        ModuleMetrics.ModuleState state = modules.state(file).orElseThrow();
        assertEquals(120, state.size());
        assertEquals(3.0, state.compileMillis());
        assertEquals(2, state.compilations());
        assertEquals("compiled", state.state());
        assertEquals(8_000_000, modules.compileNanos());
    }
}
