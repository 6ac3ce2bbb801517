package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.routing.RoutePattern;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoRoutesTest {

    private static Setting web(String value) {
        return new Setting(value, "web.xml filter 'wagi'");
    }

    private static RouteConfig route(String pattern, String origin) {
        return RouteConfig.of(RoutePattern.parse(pattern), new Location.HostFile(Path.of("/m.wasm")), origin);
    }

    private static RouteConfig forHost(RouteConfig r, String host) {
        return new RouteConfig(r.route(), r.module(), r.sha256(), r.entrypoint(), r.argv(), r.volumes(), r.environment(), r.methods(),
                Set.of(host), r.http(), r.limits(), r.engine(), r.origin());
    }

    @Test
    void webXmlRoutesAreADemoOnlyWhenItSaysSo() {
        Map<String, Setting> webXml = Map.of("routes.hello.route", web("/hello"), "routes.hello.module", web("h.wasm"),
                "routes.env.route", web("/env/..."), "demo_routes", web("true"));
        assertEquals(Set.of("hello", "env"), DemoRoutes.names(webXml, webXml));
        assertEquals(Set.of(), DemoRoutes.names(Map.of("routes.hello.route", web("/hello")), Map.of("routes.hello.route", web("/hello"))));
        Map<String, Setting> off = Map.of("routes.hello.route", web("/hello"), "demo_routes", web("false"));
        assertEquals(Set.of(), DemoRoutes.names(off, off));
        Map<String, Setting> bad = Map.of("demo_routes", web("yes"));
        assertTrue(assertThrows(ConfigException.class, () -> DemoRoutes.names(bad, bad)).getMessage().contains("true or false"));
    }

    @Test
    void aUserRouteAtTheSamePlaceReplacesTheDemoRouteAndOneLineNamesEveryOne() {
        List<RouteConfig> demo = List.of(route("/hello", "web.xml, route 'hello'"), route("/echo", "web.xml, route 'echo'"),
                route("/env/...", "web.xml, route 'env'"));
        List<RouteConfig> own = List.of(route("/hello", "modules.toml: [[module]] #1"), route("/env/...", "modules.toml: [[module]] #2"),
                route("/api/...", "modules.toml: [[module]] #3"));
        List<String> lines = new ArrayList<>();
        List<RouteConfig> kept = DemoRoutes.notReplaced(demo, own, lines::add);
        assertEquals(List.of("/echo"), kept.stream().map(r -> r.route().text()).toList());
        assertEquals(List.of("demo route(s) of the WAR replaced by your own: /hello (by modules.toml: [[module]] #1),"
                + " /env/... (by modules.toml: [[module]] #2)"), lines);
    }

    @Test
    void aCatchAllOfTheUsersTakesOverEveryDemoRouteAndAPrefixThoseBelowIt() {
        List<RouteConfig> demo = List.of(route("/hello", "web.xml"), route("/env/...", "web.xml"));
        assertEquals(List.of(), DemoRoutes.notReplaced(demo, List.of(route("/...", "toml")), line -> { }));
        assertEquals(List.of("/hello"), DemoRoutes.notReplaced(demo, List.of(forHost(route("/...", "toml"), "other.example"),
                route("/e/...", "toml"), route("/env/...", "toml")), line -> { }).stream().map(r -> r.route().text()).toList(),
                "a catch-all for another host, or a prefix beside it, leaves /hello");
    }

    @Test
    void nothingReplacedSaysNothing() {
        List<String> lines = new ArrayList<>();
        List<RouteConfig> demo = List.of(route("/hello", "web.xml"));
        assertEquals(demo, DemoRoutes.notReplaced(demo, List.of(route("/other", "toml")), lines::add));
        assertEquals(List.of(), lines);
    }

    @Test
    void theReaderKeepsDemoRoutesApart() {
        Map<String, Setting> settings = Map.of("routes.hello.route", web("/hello"), "routes.hello.module", web("h.wasm"),
                "routes.mine.route", web("/mine"), "routes.mine.module", web("m.wasm"), "demo_routes", web("true"));
        WagiSettings read = WagiSettingsReader.read(settings, "web.xml filter 'wagi'", Set.of("hello"));
        assertEquals(List.of("/mine"), read.routes().stream().map(r -> r.route().text()).toList());
        assertEquals(List.of("/hello"), read.demoRoutes().stream().map(r -> r.route().text()).toList());
    }
}
