package dev.wagiservlet.metrics;

import static dev.wagiservlet.metrics.RouteMetricsTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

class JmxExporterTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    private Set<ObjectName> ours(String webapp) throws Exception {
        return server.queryNames(new ObjectName(JmxExporter.DOMAIN + ":webapp=" + webapp + ",*"), null);
    }

    @Test
    void filterAndRouteBeansShowTheMetricsAndGoAwayOnClose() throws Exception {
        FilterMetrics metrics = new FilterMetrics("wagi", "/jmx-test");
        metrics.bind(List.of(info("/hello"),
                new RouteInfo("/static/...", Set.of("example.com"), Path.of("/srv/files.wasm"), "serve", "wasmtime")));
        RouteMetrics hello = metrics.routes().get(0);
        hello.end(hello.begin(), 200);
        hello.error(ErrorKind.TRAP);
        hello.end(hello.begin(), 500);
        metrics.modules().compiled(hello.info().module(), 1234, 25_000_000, null, 3);
        metrics.modules().hit();
        metrics.started(812_000_000);
        metrics.export(JmxExporter.register(metrics));

        ObjectName filter = new ObjectName("dev.wagiservlet:type=Filter,webapp=/jmx-test,filter=wagi");
        ObjectName route = new ObjectName("dev.wagiservlet:type=Route,webapp=/jmx-test,filter=wagi,route=\"/hello\"");
        ObjectName prefix = new ObjectName(
                "dev.wagiservlet:type=Route,webapp=/jmx-test,filter=wagi,route=\"/static/...\",hosts=\"example.com\"");
        try {
            assertEquals(Set.of(filter, route, prefix), ours("/jmx-test"));
            assertEquals(2L, server.getAttribute(route, "Requests"));
            assertEquals(1L, server.getAttribute(route, "Errors"));
            assertEquals(0L, server.getAttribute(route, "InFlight"));
            assertEquals("compiled", server.getAttribute(route, "CompileState"));
            assertEquals(25.0, (Double) server.getAttribute(route, "CompileMillis"), 1e-9);
            assertEquals(1234L, server.getAttribute(route, "ModuleSize"));
            assertEquals(3, server.getAttribute(route, "InterpretedFunctions"));
            assertEquals("chicory", server.getAttribute(route, "Engine"));
            assertEquals("wasmtime", server.getAttribute(prefix, "Engine"));
            assertEquals("/srv/wasm/hello.wasm", server.getAttribute(route, "Module"));
            assertTrue((Double) server.getAttribute(route, "LatencyP99Millis") >= 0);
            TabularData errors = (TabularData) server.getAttribute(route, "ErrorsByKind");
            assertEquals(1L, errors.get(new Object[] {"trap"}).get("value"));
            assertEquals("serve", server.getAttribute(prefix, "Entrypoint"));
            assertEquals("example.com", server.getAttribute(prefix, "Hosts"));
            assertEquals("not compiled", server.getAttribute(prefix, "CompileState"));

            assertEquals(2L, server.getAttribute(filter, "Requests"));
            assertEquals(2, server.getAttribute(filter, "RouteCount"));
            assertEquals(812L, server.getAttribute(filter, "StartupMillis"));
            assertEquals(1L, server.getAttribute(filter, "CacheHits"));
            TabularData compile = (TabularData) server.getAttribute(filter, "ModuleCompileMillis");
            CompositeData row = compile.get(new Object[] {"/srv/wasm/hello.wasm"});
            assertEquals(25.0, (Double) row.get("value"), 1e-9);
            // an MXBean: open types only, so JConsole and remote clients need none of our classes
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(route).getAttributes()) {
                assertEquals("true", String.valueOf(server.getMBeanInfo(route).getDescriptor().getFieldValue("mxbean")), attribute.getName());
            }

            metrics.bind(List.of(info("/hello")));
            assertFalse(server.isRegistered(prefix), "a route gone is unregistered");
            assertTrue(server.isRegistered(route), "a route that stays keeps its bean");
        } finally {
            metrics.close();
        }
        assertEquals(Set.of(), ours("/jmx-test"), "close unregisters every bean");
    }

    @Test
    void theSameWebappTwiceGetsAnInstanceNumber() throws Exception {
        FilterMetrics first = new FilterMetrics("wagi", "/twice");
        FilterMetrics second = new FilterMetrics("wagi", "/twice");
        first.bind(List.of(info("/a")));
        second.bind(List.of(info("/a")));
        first.export(JmxExporter.register(first));
        second.export(JmxExporter.register(second));
        try {
            assertTrue(server.isRegistered(new ObjectName("dev.wagiservlet:type=Filter,webapp=/twice,filter=wagi")));
            assertTrue(server.isRegistered(new ObjectName("dev.wagiservlet:type=Filter,webapp=/twice,filter=wagi,instance=2")));
            assertTrue(server.isRegistered(
                    new ObjectName("dev.wagiservlet:type=Route,webapp=/twice,filter=wagi,instance=2,route=\"/a\"")));
            first.close();
            assertEquals(2, ours("/twice").size(), "only the first one's beans are gone");
        } finally {
            first.close();
            second.close();
        }
        assertEquals(Set.of(), ours("/twice"));
    }

    @Test
    void oddNamesAreQuoted() throws Exception {
        FilterMetrics metrics = new FilterMetrics("my filter, \"x\"=1", "/");
        metrics.bind(List.of(info("/a")));
        JmxExporter exporter = JmxExporter.register(metrics);
        metrics.export(exporter);
        try {
            assertEquals("my filter, \"x\"=1", server.getAttribute(exporter.filterName(), "FilterName"));
            assertEquals("/", exporter.filterName().getKeyProperty("webapp"));
        } finally {
            metrics.close();
        }
        assertFalse(server.isRegistered(exporter.filterName()));
    }
}
