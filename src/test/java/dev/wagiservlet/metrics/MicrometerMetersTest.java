package dev.wagiservlet.metrics;

import static dev.wagiservlet.metrics.RouteMetricsTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerMetersTest {

    @Test
    void metersReadTheRecordedDataAndAreRemovedOnClose() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FilterMetrics metrics = new FilterMetrics("wagi", "/app");
        List<RouteMetrics> routes = metrics.bind(List.of(info("/hello"), info("/env/...")));
        metrics.export(MicrometerSupport.export(metrics, registry));
        RouteMetrics hello = routes.get(0);
        long started = hello.begin();
        assertEquals(1.0, registry.get("wagi.requests.active").tag("route", "/hello").gauge().value());
        hello.end(started, 200);
        hello.error(ErrorKind.BAD_CGI);
        hello.end(hello.begin(), 500);
        metrics.modules().miss();
        metrics.modules().hit();
        metrics.modules().compiled(hello.info().module(), 100, 40_000_000, null, 0);

        assertEquals(2.0, registry.get("wagi.requests").tags("webapp", "/app", "filter", "wagi", "route", "/hello")
                .functionCounter().count());
        assertEquals(0.0, registry.get("wagi.requests").tag("route", "/env/...").functionCounter().count());
        assertEquals(1.0, registry.get("wagi.request.errors").tags("route", "/hello", "kind", "bad-cgi").functionCounter().count());
        assertEquals(0.0, registry.get("wagi.request.errors").tags("route", "/hello", "kind", "trap").functionCounter().count());
        assertEquals(1.0, registry.get("wagi.responses").tags("route", "/hello", "status", "5xx").functionCounter().count());
        FunctionTimer duration = registry.get("wagi.request.duration").tag("route", "/hello").functionTimer();
        assertEquals(2.0, duration.count());
        assertTrue(duration.totalTime(TimeUnit.NANOSECONDS) > 0);
        assertTrue(registry.get("wagi.request.duration.percentile").tags("route", "/hello", "phi", "0.99").timeGauge()
                .value(TimeUnit.MILLISECONDS) >= 0);
        assertEquals(1.0, registry.get("wagi.module.cache.gets").tag("result", "hit").functionCounter().count());
        assertEquals(1.0, registry.get("wagi.module.cache.gets").tag("result", "miss").functionCounter().count());
        assertEquals(1.0, registry.get("wagi.module.compilations").functionTimer().count());
        assertEquals(40.0, registry.get("wagi.module.compile.time").tag("module", hello.info().module().toString()).timeGauge()
                .value(TimeUnit.MILLISECONDS), 1e-9);

        metrics.bind(List.of(info("/hello")));
        assertTrue(registry.find("wagi.requests").tag("route", "/env/...").meters().isEmpty(), "a route gone loses its meters");
        assertFalse(registry.find("wagi.requests").tag("route", "/hello").meters().isEmpty());

        metrics.close();
        assertEquals(List.of(), registry.getMeters(), "close removes every meter");
    }

    @Test
    void withoutARegistryTheGlobalOneIsUsed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try {
            FilterMetrics metrics = new FilterMetrics("global-test", "/g");
            metrics.bind(List.of(info("/a")));
            metrics.export(MicrometerSupport.export(metrics, null));
            assertEquals(0.0, registry.get("wagi.requests").tag("filter", "global-test").functionCounter().count());
            metrics.close();
            assertTrue(registry.find("wagi.requests").tag("filter", "global-test").meters().isEmpty());
        } finally {
            Metrics.removeRegistry(registry);
        }
    }

    @Test
    void availableOnlyWhereMicrometerCanBeLoaded() {
        assertTrue(MicrometerSupport.isAvailable(MicrometerMetersTest.class.getClassLoader()));
        assertFalse(MicrometerSupport.isAvailable(ClassLoader.getPlatformClassLoader()));
    }
}
