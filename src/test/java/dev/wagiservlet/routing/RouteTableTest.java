package dev.wagiservlet.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static RouteTable.Entry<String> entry(String route) {
        return new RouteTable.Entry<>(RoutePattern.parse(route), "target " + route);
    }

    private static RouteTable<String> table(String... routes) {
        List<RouteTable.Entry<String>> entries = new ArrayList<>();
        for (String route : routes) {
            entries.add(entry(route));
        }
        return RouteTable.of(entries);
    }

    private static String winner(RouteTable<String> table, String path) {
        return table.match(path).map(m -> m.pattern().text()).orElse("<none>");
    }

    private static final String[] ROUTES = {"/...", "/foo/...", "/foo/bar/...", "/foo", "/foo/bar", "/foo/bar/baz/"};

    /** Every rotation and the reverse of the route list must give the same winners. */
    private static List<RouteTable<String>> tablesInManyOrders() {
        List<RouteTable<String>> tables = new ArrayList<>();
        List<String> routes = new ArrayList<>(List.of(ROUTES));
        for (int i = 0; i < routes.size(); i++) {
            Collections.rotate(routes, 1);
            tables.add(table(routes.toArray(String[]::new)));
            List<String> reversed = new ArrayList<>(routes);
            Collections.reverse(reversed);
            tables.add(table(reversed.toArray(String[]::new)));
        }
        return tables;
    }

    @Test
    void mostSpecificRouteWinsWhateverTheOrder() {
        for (RouteTable<String> t : tablesInManyOrders()) {
            String order = t.entries().toString();
            assertEquals("/foo", winner(t, "/foo"), order);
            assertEquals("/foo/...", winner(t, "/foo/"), order);
            assertEquals("/foo/...", winner(t, "/foo/x"), order);
            assertEquals("/foo/bar", winner(t, "/foo/bar"), order);
            assertEquals("/foo/bar/...", winner(t, "/foo/bar/"), order);
            assertEquals("/foo/bar/...", winner(t, "/foo/bar/x/y"), order);
            assertEquals("/foo/bar/baz/", winner(t, "/foo/bar/baz/"), order);
            assertEquals("/foo/bar/...", winner(t, "/foo/bar/baz"), order);
            assertEquals("/...", winner(t, "/foobar"), order);
            assertEquals("/...", winner(t, "/"), order);
            assertEquals("/...", winner(t, "/other/path"), order);
        }
    }

    @Test
    void exactBeatsPrefixOfSameLength() {
        assertEquals("/foo", winner(table("/foo/...", "/foo"), "/foo"));
        assertEquals("/foo", winner(table("/foo", "/foo/..."), "/foo"));
    }

    @Test
    void exactBeatsLongerPrefix() {
        // an exact route always wins over any prefix route
        assertEquals("/a/b/c", winner(table("/a/b/c/...", "/a/b/c"), "/a/b/c"));
        assertEquals("/a/b/c", winner(table("/...", "/a/b/c"), "/a/b/c"));
    }

    @Test
    void longerPrefixBeatsShorter() {
        assertEquals("/a/b/...", winner(table("/a/...", "/a/b/..."), "/a/b/c"));
        assertEquals("/a/b/...", winner(table("/a/b/...", "/a/..."), "/a/b/c"));
        assertEquals("/a/...", winner(table("/a/b/...", "/a/..."), "/a/bc"));
    }

    @Test
    void catchAllOnlyWhenNothingElseMatches() {
        RouteTable<String> t = table("/...", "/hello", "/static/...");
        assertEquals("/hello", winner(t, "/hello"));
        assertEquals("/static/...", winner(t, "/static/css/site.css"));
        assertEquals("/...", winner(t, "/hello/"));
        assertEquals("/...", winner(t, "/index.html"));
    }

    @Test
    void noMatchIsEmpty() {
        RouteTable<String> t = table("/hello", "/static/...");
        assertEquals(Optional.empty(), t.match("/"));
        assertEquals(Optional.empty(), t.match("/hello/"));
        assertEquals(Optional.empty(), t.match("/staticx"));
        assertEquals(Optional.empty(), t.match("/HELLO"));
        assertEquals(Optional.empty(), table().match("/"));
    }

    @Test
    void matchCarriesTargetPathAndRawPathInfo() {
        RouteTable<String> t = table("/path/...", "/exact");
        RouteMatch<String> m = t.match("/path/test%3brun").orElseThrow();
        assertEquals("/path/...", m.pattern().text());
        assertEquals("target /path/...", m.target());
        assertEquals("/path/test%3brun", m.rawPath());
        assertEquals("/test%3brun", m.rawPathInfo());

        RouteMatch<String> root = t.match("/path").orElseThrow();
        assertEquals("", root.rawPathInfo());
        assertEquals("/", t.match("/path/").orElseThrow().rawPathInfo());

        RouteMatch<String> exact = t.match("/exact").orElseThrow();
        assertEquals("target /exact", exact.target());
        assertEquals("", exact.rawPathInfo());
    }

    @Test
    void catchAllRawPathInfoIsTheWholePath() {
        RouteMatch<String> m = table("/...").match("/a/b%20c").orElseThrow();
        assertEquals("/a/b%20c", m.rawPathInfo());
        assertEquals("/", table("/...").match("/").orElseThrow().rawPathInfo());
    }

    @Test
    void rawPathsAreMatchedWithoutDecoding() {
        RouteTable<String> t = table("/a/b", "/x/...");
        assertEquals(Optional.empty(), t.match("/a%2Fb"));
        assertEquals(Optional.empty(), t.match("/%61/b"));
        assertEquals(Optional.empty(), t.match("/x%2Fy"));
        assertEquals("/x/...", winner(t, "/x/%2F"));
        assertEquals("/%2F", t.match("/x/%2F").orElseThrow().rawPathInfo());

        RouteTable<String> encoded = table("/a%2Fb");
        assertEquals("/a%2Fb", winner(encoded, "/a%2Fb"));
        assertEquals(Optional.empty(), encoded.match("/a/b"));
    }

    @Test
    void duplicateRoutesAreRejectedNamingTheRoute() {
        List<RouteTable.Entry<String>> entries = List.of(
                new RouteTable.Entry<>(RoutePattern.parse("/hello"), "first.wasm"),
                new RouteTable.Entry<>(RoutePattern.parse("/other"), "other.wasm"),
                new RouteTable.Entry<>(RoutePattern.parse("/hello"), "second.wasm"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RouteTable.of(entries));
        assertTrue(e.getMessage().contains("'/hello'"), e.getMessage());
        assertTrue(e.getMessage().contains("first.wasm"), e.getMessage());
        assertTrue(e.getMessage().contains("second.wasm"), e.getMessage());
    }

    @Test
    void duplicatePrefixRoutesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table("/s/...", "/s/..."));
        assertTrue(e.getMessage().contains("/s/..."), e.getMessage());
    }

    @Test
    void exactAndPrefixOfSamePathAreNotDuplicates() {
        RouteTable<String> t = table("/s", "/s/...", "/s/");
        assertEquals(3, t.entries().size());
        assertEquals("/s", winner(t, "/s"));
        assertEquals("/s/", winner(t, "/s/"));
        assertEquals("/s/...", winner(t, "/s/x"));
    }

    @Test
    void entriesKeepConfigurationOrder() {
        RouteTable<String> t = table("/b", "/...", "/a/...", "/a");
        List<String> texts = t.entries().stream().map(e -> e.pattern().text()).toList();
        assertEquals(List.of("/b", "/...", "/a/...", "/a"), texts);
    }

    @Test
    void entriesAreImmutable() {
        RouteTable<String> t = table("/a");
        assertThrows(UnsupportedOperationException.class, () -> t.entries().add(entry("/b")));
    }
}
