package dev.wagiservlet.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    // --- Host names -----------------------------------------------------------------------------------

    private static RouteTable.Entry<String> hosted(String route, String target, String... hosts) {
        return new RouteTable.Entry<>(RoutePattern.parse(route), Set.of(hosts), target);
    }

    @SafeVarargs
    private static RouteTable<String> hostTable(RouteTable.Entry<String>... entries) {
        return RouteTable.of(List.of(entries));
    }

    private static String target(RouteTable<String> table, String path, String host, int port) {
        return table.match(path, host, port).map(RouteMatch::target).orElse("<none>");
    }

    @Test
    void entryWithoutHostsServesEveryHost() {
        RouteTable.Entry<String> any = entry("/a");
        assertEquals(Set.of(), any.hosts());
        RouteTable<String> t = RouteTable.of(List.of(any));
        assertEquals("target /a", target(t, "/a", "example.com", 80));
        assertEquals("target /a", target(t, "/a", "10.0.0.1", 8080));
        assertEquals("target /a", target(t, "/a", "", -1));
    }

    @Test
    void hostSpecificWinsOverAnyHostForTheSamePatternWhateverTheOrder() {
        RouteTable.Entry<String> any = hosted("/api", "any");
        RouteTable.Entry<String> specific = hosted("/api", "a", "a.example");
        for (RouteTable<String> t : List.of(hostTable(any, specific), hostTable(specific, any))) {
            assertEquals("a", target(t, "/api", "a.example", 80));
            assertEquals("any", target(t, "/api", "b.example", 80));
            assertEquals("any", t.match("/api").orElseThrow().target());
        }
    }

    @Test
    void hostSpecificPrefixWinsOverAnyHostPrefixWhateverTheOrder() {
        RouteTable.Entry<String> any = hosted("/static/...", "any");
        RouteTable.Entry<String> specific = hosted("/static/...", "a", "a.example");
        RouteTable.Entry<String> catchAll = hosted("/...", "all");
        for (RouteTable<String> t : List.of(hostTable(any, specific, catchAll), hostTable(catchAll, specific, any))) {
            assertEquals("a", target(t, "/static/x.css", "a.example", 443));
            assertEquals("any", target(t, "/static/x.css", "b.example", 443));
            assertEquals("all", target(t, "/other", "a.example", 443));
        }
    }

    @Test
    void nonMatchingHostFallsThroughToALessSpecificRoute() {
        RouteTable<String> t = hostTable(
                hosted("/api/...", "a-api", "a.example"),
                hosted("/x", "a-x", "a.example"),
                hosted("/x/...", "any-x"),
                hosted("/...", "all"));
        assertEquals("a-api", target(t, "/api/v1", "a.example", 80));
        assertEquals("all", target(t, "/api/v1", "b.example", 80));
        assertEquals("a-x", target(t, "/x", "a.example", 80));
        assertEquals("any-x", target(t, "/x", "b.example", 80));
        assertEquals("any-x", target(t, "/x/y", "a.example", 80));
    }

    @Test
    void nonMatchingHostWithoutFallbackIsNoMatch() {
        RouteTable<String> t = hostTable(hosted("/a", "a", "a.example"), hosted("/p/...", "p", "a.example"));
        assertEquals(Optional.empty(), t.match("/a", "b.example", 80));
        assertEquals(Optional.empty(), t.match("/p/x", "b.example", 80));
        assertEquals(Optional.empty(), t.match("/a"));
        assertEquals(Optional.empty(), t.match("/a", "", -1));
        assertEquals("a", target(t, "/a", "a.example", 80));
    }

    /** The path decides first: a longer route for any host beats a shorter one for this host. */
    @Test
    void pathSpecificityComesBeforeHost() {
        RouteTable<String> t = hostTable(hosted("/a/...", "a-short", "a.example"), hosted("/a/b/...", "any-long"));
        assertEquals("any-long", target(t, "/a/b/c", "a.example", 80));
        assertEquals("a-short", target(t, "/a/c", "a.example", 80));
        RouteTable<String> exact = hostTable(hosted("/a/...", "a-prefix", "a.example"), hosted("/a", "any-exact"));
        assertEquals("any-exact", target(exact, "/a", "a.example", 80));
    }

    @Test
    void aNameServesEveryPort() {
        RouteTable<String> t = hostTable(hosted("/a", "a", "a.example"));
        for (int port : new int[] {80, 443, 8080, 3000}) {
            assertEquals("a", target(t, "/a", "a.example", port));
        }
    }

    @Test
    void aNameWithPortServesOnlyThatPort() {
        RouteTable<String> t = hostTable(hosted("/a", "a8080", "a.example:8080"), hosted("/...", "all"));
        assertEquals("a8080", target(t, "/a", "a.example", 8080));
        assertEquals("all", target(t, "/a", "a.example", 80));
        assertEquals("all", target(t, "/a", "a.example", 808));
        assertEquals("all", target(t, "/a", "b.example", 8080));
    }

    @Test
    void hostsAreMatchedCaseInsensitively() {
        RouteTable<String> t = hostTable(hosted("/a", "a", "a.example", "b.example:8080"));
        assertEquals("a", target(t, "/a", "A.EXAMPLE", 80));
        assertEquals("a", target(t, "/a", "A.Example", 80));
        assertEquals("a", target(t, "/a", "B.example", 8080));
    }

    @Test
    void severalHostsOnOneEntry() {
        RouteTable<String> t = hostTable(hosted("/a", "ab", "a.example", "b.example:8080"), hosted("/a", "any"));
        assertEquals("ab", target(t, "/a", "a.example", 1));
        assertEquals("ab", target(t, "/a", "b.example", 8080));
        assertEquals("any", target(t, "/a", "b.example", 80));
        assertEquals("any", target(t, "/a", "c.example", 8080));
    }

    @Test
    void ipv6LiteralHost() {
        RouteTable<String> t = hostTable(hosted("/a", "v6", "[::1]:8080"), hosted("/b", "v6any", "[::1]"));
        assertEquals("v6", target(t, "/a", "[::1]", 8080));
        assertEquals(Optional.empty(), t.match("/a", "[::1]", 80));
        assertEquals("v6any", target(t, "/b", "[::1]", 80));
    }

    @Test
    void duplicatePatternForTheSameHostIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hostTable(hosted("/a", "first", "a.example"), hosted("/a", "second", "a.example")));
        assertTrue(e.getMessage().contains("'/a'"), e.getMessage());
        assertTrue(e.getMessage().contains("same host"), e.getMessage());
        assertTrue(e.getMessage().contains("first"), e.getMessage());
        assertTrue(e.getMessage().contains("second"), e.getMessage());
    }

    @Test
    void duplicatePatternForOverlappingHostsIsRejected() {
        // one host in common
        assertThrows(IllegalArgumentException.class,
                () -> hostTable(hosted("/a", "1", "a.example", "b.example"), hosted("/a", "2", "b.example", "c.example")));
        // a name overlaps the same name with a port, either way round
        assertThrows(IllegalArgumentException.class,
                () -> hostTable(hosted("/a", "1", "a.example"), hosted("/a", "2", "a.example:8080")));
        assertThrows(IllegalArgumentException.class,
                () -> hostTable(hosted("/a", "1", "a.example:8080"), hosted("/a", "2", "a.example")));
        // the same name and port
        assertThrows(IllegalArgumentException.class,
                () -> hostTable(hosted("/p/...", "1", "a.example:8080"), hosted("/p/...", "2", "a.example:8080")));
        // an IPv6 literal with and without port
        assertThrows(IllegalArgumentException.class,
                () -> hostTable(hosted("/a", "1", "[::1]"), hosted("/a", "2", "[::1]:8080")));
        // among other entries
        assertThrows(IllegalArgumentException.class,
                () -> hostTable(hosted("/a", "1", "a.example"), hosted("/a", "any"), hosted("/a", "3", "x.example", "a.example")));
    }

    @Test
    void duplicateAnyHostPatternIsStillRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hostTable(hosted("/a", "1"), hosted("/a", "2", "a.example"), hosted("/a", "3")));
        assertTrue(e.getMessage().contains("'/a'"), e.getMessage());
        assertTrue(e.getMessage().contains("1") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void samePatternForDisjointHostsIsAllowed() {
        RouteTable<String> t = hostTable(
                hosted("/a", "a", "a.example"),
                hosted("/a", "b", "b.example"),
                hosted("/a", "c80", "c.example:80"),
                hosted("/a", "c8080", "c.example:8080"));
        assertEquals(4, t.entries().size());
        assertEquals("a", target(t, "/a", "a.example", 80));
        assertEquals("b", target(t, "/a", "b.example", 80));
        assertEquals("c80", target(t, "/a", "c.example", 80));
        assertEquals("c8080", target(t, "/a", "c.example", 8080));
        assertEquals(Optional.empty(), t.match("/a", "d.example", 80));
    }

    @Test
    void anyHostAndHostSpecificWithTheSamePatternAreAllowed() {
        RouteTable<String> t = hostTable(hosted("/s/...", "any"), hosted("/s/...", "a", "a.example"), hosted("/s/...", "b", "b.example:81"));
        assertEquals(3, t.entries().size());
        assertEquals("a", target(t, "/s/x", "a.example", 80));
        assertEquals("b", target(t, "/s/x", "b.example", 81));
        assertEquals("any", target(t, "/s/x", "b.example", 80));
    }

    @Test
    void matchWithHostCarriesPatternAndRawPathInfo() {
        RouteMatch<String> m = hostTable(hosted("/p/...", "p", "a.example")).match("/p/x%20y", "a.example", 80).orElseThrow();
        assertEquals("/p/...", m.pattern().text());
        assertEquals("p", m.target());
        assertEquals("/x%20y", m.rawPathInfo());
    }

    @Test
    void entryHostsAreImmutableCopies() {
        Set<String> hosts = new HashSet<>(Set.of("a.example"));
        RouteTable.Entry<String> entry = new RouteTable.Entry<>(RoutePattern.parse("/a"), hosts, "a");
        hosts.add("b.example");
        assertEquals(Set.of("a.example"), entry.hosts());
        assertThrows(UnsupportedOperationException.class, () -> entry.hosts().add("c.example"));
    }
}
