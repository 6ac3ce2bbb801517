package dev.wagiservlet.routing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of routing with jqwik: {@link RoutePattern}, {@link RouteTable} and {@link SubRoutes}
 * against brute-force models written from the reference's §3 and §7 and the classes' contracts.
 *
 * <p>Routes and paths are built from a small alphabet of segments ({@code a}, {@code b},
 * {@code ab}, empty, {@code %2F}, {@code %}, {@code é}, dots...) so that routes collide and nest
 * often; every property also gets paths that are arbitrary strings (empty, non-ASCII, '%' junk,
 * no leading slash).
 *
 * <p>Budget: every property has a bounded number of tries so the class runs in a few seconds in
 * {@code mvn test}. Failing samples found are kept at the end as {@code @Example} regressions.
 */
class RoutingProperties {

    // =============================================================================================
    // RoutePattern
    // =============================================================================================

    /**
     * (c) parse either returns a pattern whose text round-trips, or throws
     * IllegalArgumentException, never anything else; and it accepts exactly what the documented
     * rules allow: a leading '/', no whitespace, control character, '?' or '#', and '...' only as
     * the final '/...'.
     */
    @Property(tries = 2000)
    void parseRoundTripsOrThrowsIllegalArgument(@ForAll("routeTexts") String text) {
        RoutePattern pattern;
        try {
            pattern = RoutePattern.parse(text);
        } catch (IllegalArgumentException e) {
            Statistics.label("parse").collect("rejected");
            assertFalse(valid(text), () -> "rejected a valid route " + show(text) + ": " + e.getMessage());
            assertNotNull(e.getMessage());
            return;
        }
        Statistics.label("parse").collect(pattern.isPrefix() ? "prefix" : "exact");
        Statistics.label("parse").coverage(c -> {
            c.check("rejected").percentage(p -> p > 5);
            c.check("prefix").percentage(p -> p > 5);
            c.check("exact").percentage(p -> p > 5);
        });
        assertTrue(valid(text), () -> "accepted an invalid route " + show(text));
        assertEquals(text, pattern.text());
        assertEquals(text, pattern.toString());
        RoutePattern again = RoutePattern.parse(pattern.text());
        assertEquals(pattern, again);
        assertEquals(pattern.hashCode(), again.hashCode());
        assertEquals(text.endsWith("/..."), pattern.isPrefix());
        assertEquals(pattern.isPrefix() ? text.substring(0, text.length() - 4) : text, pattern.path());
        assertEquals(pattern.path().isEmpty() ? "/" : pattern.path(), pattern.scriptName());
        assertTrue(pattern.matches(pattern.path()), "a route serves its own path");
        if (pattern.isPrefix()) {
            assertTrue(pattern.matches(pattern.path() + "/"), "a prefix route serves its path with a slash");
            assertTrue(pattern.matches(pattern.path() + "/x/y"), "a prefix route serves what is below it");
        }
    }

    /** The documented rules for a route's text (RoutePattern's javadoc and the reference §3). */
    private static boolean valid(String text) {
        if (!text.startsWith("/")) {
            return false;
        }
        for (char c : text.toCharArray()) {
            if (c <= ' ' || c == 0x7f || c == '?' || c == '#') {
                return false;
            }
        }
        String path = text.endsWith("/...") ? text.substring(0, text.length() - 4) : text;
        return !path.contains("...");
    }

    /**
     * matches() is the reference's rule, for any path string: exact routes match the identical
     * path only; a prefix p matches p itself and anything starting with p + "/". (d) For a
     * matching prefix route, path == route path + relativePath(path); relativePath is "" for
     * exact routes and for paths the route does not serve.
     */
    @Property(tries = 2000)
    void matchesAndRelativePathFollowTheReference(@ForAll("patterns") RoutePattern pattern, @ForAll("paths") String path) {
        String p = pattern.path();
        boolean expected = pattern.isPrefix() ? path.equals(p) || path.startsWith(p + "/") : path.equals(p);
        boolean matches = pattern.matches(path);
        Statistics.label("matches").collect(matches);
        assertEquals(expected, matches, () -> pattern + " vs " + show(path));
        String relative = pattern.relativePath(path);
        if (matches && pattern.isPrefix()) {
            assertEquals(path, p + relative);
            assertTrue(relative.isEmpty() || relative.startsWith("/"), () -> "relative path " + show(relative));
        } else {
            assertEquals("", relative);
        }
    }

    // =============================================================================================
    // RouteTable
    // =============================================================================================

    /**
     * (a) match() equals a brute-force search: among the entries whose pattern matches
     * (RoutePattern.matches) and that serve the host, an exact route if there is one, else the
     * longest prefix; for the same pattern, an entry for the request's host before one for any
     * host. Whatever the order the routes were configured in. (b) and (d) on the way: match never
     * throws, and the match's raw path info puts the path back together.
     */
    @Property(tries = 2000)
    void matchIsTheMostSpecificMatchingRoute(@ForAll("routeSetsWithPaths") Tuple.Tuple2<List<RouteTable.Entry<String>>, String> scenario,
            @ForAll("requestHosts") String host, @ForAll("ports") int port, @ForAll @IntRange(min = 0, max = 1000) int rotation) {
        List<RouteTable.Entry<String>> entries = scenario.get1();
        String path = scenario.get2();
        List<RouteTable.Entry<String>> reordered = new ArrayList<>(entries);
        Collections.rotate(reordered, rotation);
        RouteTable<String> table = RouteTable.of(reordered);

        Optional<RouteMatch<String>> anyHost = table.match(path);
        assertEquals(bruteForce(entries, path, "", -1), anyHost.map(RouteMatch::target), () -> "match(" + show(path) + ")");
        Optional<RouteMatch<String>> onHost = table.match(path, host, port);
        Optional<String> expected = bruteForce(entries, path, host, port);
        assertEquals(expected, onHost.map(RouteMatch::target), () -> "match(" + show(path) + ", " + host + ", " + port + ")");

        Statistics.label("winner").collect(expected.isEmpty() ? "none"
                : expected.get().contains("...") ? "prefix" : "exact");
        Statistics.label("winner").coverage(c -> {
            c.check("none").percentage(p -> p > 5);
            c.check("prefix").percentage(p -> p > 5);
            c.check("exact").percentage(p -> p > 2);
        });
        Statistics.label("host-specific winner").collect(expected.map(t -> t.contains("@")).orElse(false));

        for (Optional<RouteMatch<String>> match : List.of(anyHost, onHost)) {
            match.ifPresent(m -> {
                assertEquals(path, m.rawPath());
                assertTrue(m.pattern().matches(path));
                String info = m.rawPathInfo();
                if (m.pattern().isPrefix()) {
                    assertEquals(path, m.pattern().path() + info);
                } else {
                    assertEquals("", info);
                }
            });
        }
    }

    /** The model: the best entry among those that match and serve the host. */
    private static Optional<String> bruteForce(List<RouteTable.Entry<String>> entries, String path, String host, int port) {
        return entries.stream()
                .filter(e -> e.pattern().matches(path) && serves(e.hosts(), host, port))
                .max(Comparator.<RouteTable.Entry<String>>comparingInt(e -> e.pattern().isPrefix() ? e.pattern().path().length() : Integer.MAX_VALUE)
                        .thenComparing(e -> !e.hosts().isEmpty()))
                .map(RouteTable.Entry::target);
    }

    private static boolean serves(Set<String> hosts, String host, int port) {
        String name = host.toLowerCase(Locale.ROOT);
        return hosts.isEmpty() || hosts.contains(name) || hosts.contains(name + ":" + port);
    }

    /** (b) match never throws, for any path string, any host and any table. */
    @Property(tries = 2000)
    void matchNeverThrows(@ForAll("routeSets") List<RouteTable.Entry<String>> entries, @ForAll("anyStrings") String path,
            @ForAll("anyStrings") String host, @ForAll int port) {
        RouteTable<String> table = RouteTable.of(entries);
        assertDoesNotThrow(() -> table.match(path).ifPresent(RouteMatch::rawPathInfo));
        assertDoesNotThrow(() -> table.match(path, host, port).ifPresent(RouteMatch::rawPathInfo));
        assertEquals(bruteForce(entries, path, host, port), table.match(path, host, port).map(RouteMatch::target));
    }

    /**
     * RouteTable.of refuses exactly the tables in which two entries have the same route and
     * could both serve some request: both for any host, or both for a common host (a name
     * and that name with a port count as common). Anything else is accepted.
     */
    @Property(tries = 1000)
    void ofRefusesExactlyTheAmbiguousTables(@ForAll("entryLists") List<RouteTable.Entry<String>> entries) {
        boolean ambiguous = false;
        for (int i = 0; i < entries.size(); i++) {
            for (int j = 0; j < i; j++) {
                ambiguous |= conflict(entries.get(i), entries.get(j));
            }
        }
        Statistics.label("ambiguous").collect(ambiguous);
        if (ambiguous) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RouteTable.of(entries));
            assertTrue(e.getMessage().contains("configured twice"), e.getMessage());
        } else {
            assertEquals(entries, RouteTable.of(entries).entries());
        }
    }

    /** Some request both entries serve, with the same route: a table with both would be ambiguous. */
    private static boolean conflict(RouteTable.Entry<String> a, RouteTable.Entry<String> b) {
        if (!a.pattern().equals(b.pattern())) {
            return false;
        }
        if (a.hosts().isEmpty() || b.hosts().isEmpty()) {
            return a.hosts().isEmpty() && b.hosts().isEmpty(); // a host's route beats the any-host one
        }
        for (String name : List.of("a.com", "b.com", "c.com")) {
            for (int port : List.of(80, 443, 8080, -1)) {
                if (serves(a.hosts(), name, port) && serves(b.hosts(), name, port)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * (e) for the same route, an entry for the request's host beats one for any host, in either
     * configuration order; other hosts get the any-host entry.
     */
    @Property(tries = 1000)
    void hostSpecificEntryBeatsTheAnyHostOne(@ForAll("patterns") RoutePattern pattern, @ForAll("someHosts") Set<String> hosts,
            @ForAll boolean hostFirst, @ForAll("suffixes") String suffix, @ForAll boolean upperCaseRequest) {
        List<RouteTable.Entry<String>> entries = new ArrayList<>(List.of(
                new RouteTable.Entry<>(pattern, Set.of(), "any"),
                new RouteTable.Entry<>(pattern, hosts, "host")));
        if (hostFirst) {
            Collections.reverse(entries);
        }
        RouteTable<String> table = RouteTable.of(entries);
        String path = pattern.isPrefix() ? pattern.path() + suffix : pattern.path();
        String configured = hosts.iterator().next();
        int colon = configured.indexOf(':');
        String name = colon < 0 ? configured : configured.substring(0, colon);
        int port = colon < 0 ? 80 : Integer.parseInt(configured.substring(colon + 1));
        String requestName = upperCaseRequest ? name.toUpperCase(Locale.ROOT) : name;
        assertEquals(Optional.of("host"), table.match(path, requestName, port).map(RouteMatch::target));
        assertEquals(Optional.of("any"), table.match(path, "other.example", port).map(RouteMatch::target));
        assertEquals(Optional.of("any"), table.match(path).map(RouteMatch::target));
    }

    // =============================================================================================
    // SubRoutes
    // =============================================================================================

    /** SubRoutes.parse never throws anything but IllegalArgumentException, for any text. */
    @Property(tries = 2000)
    void subRoutesParseThrowsOnlyIllegalArgument(@ForAll("patterns") RoutePattern parent, @ForAll("routesOutputs") String output) {
        List<SubRoutes.SubRoute> routes;
        try {
            routes = SubRoutes.parse(parent, output);
        } catch (IllegalArgumentException e) {
            Statistics.label("_routes").collect("rejected");
            assertNotNull(e.getMessage());
            return;
        }
        Statistics.label("_routes").collect("accepted");
        Statistics.label("_routes").coverage(c -> c.check("accepted").percentage(p -> p > 10));
        assertFalse(routes.isEmpty());
        for (SubRoutes.SubRoute route : routes) {
            assertEquals(route.pattern(), RoutePattern.parse(route.pattern().text()));
            assertFalse(route.entrypoint().isEmpty());
            assertFalse(Pattern.compile("\\s").matcher(route.entrypoint()).find(), route.entrypoint());
            assertTrue(route.pattern().text().startsWith(parent.path()), () -> route.pattern() + " under " + parent);
        }
        assertEquals(routes.size(), routes.stream().map(SubRoutes.SubRoute::pattern).distinct().count(), "each route once");
    }

    /**
     * For well-formed output (one {@code <route> <entrypoint>} per line, with blank lines and
     * extra spaces), each distinct joined route comes out once, with the entrypoint of its last
     * line, in the order of those last lines.
     */
    @Property(tries = 1000)
    void subRoutesLaterLinesWin(@ForAll("patterns") RoutePattern parent,
            @ForAll("subRouteLines") List<Tuple.Tuple2<String, String>> lines, @ForAll("lineSeparators") String separator) {
        StringBuilder output = new StringBuilder();
        Map<String, String> expected = new LinkedHashMap<>();
        for (Tuple.Tuple2<String, String> line : lines) {
            output.append(" ").append(line.get1()).append(" \t ").append(line.get2()).append(separator);
            String joined = (parent.path().endsWith("/") ? parent.path() + line.get1().substring(1) : parent.path() + line.get1());
            expected.remove(joined);
            expected.put(joined, line.get2());
        }
        List<String> actual = new ArrayList<>();
        for (SubRoutes.SubRoute route : SubRoutes.parse(parent, output.toString())) {
            actual.add(route.pattern().text() + " " + route.entrypoint());
        }
        List<String> wanted = new ArrayList<>();
        expected.forEach((route, entrypoint) -> wanted.add(route + " " + entrypoint));
        assertEquals(wanted, actual, "routes and entrypoints, in order");
    }

    // =============================================================================================
    // Regression examples (samples the properties found, shrunk by jqwik)
    // =============================================================================================

    // (none: no property of RoutePattern, RouteTable or SubRoutes has failed so far)

    // =============================================================================================
    // Generators
    // =============================================================================================

    /** Few segments, so that routes and paths collide and nest. */
    private static final List<String> SEGMENTS = List.of("a", "b", "ab", "", "%2F", "%2f", "%20", "%", "%zz", "\u00e9", "%C3%A9", ".", "..", "a.b");

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> built = Combinators.combine(Arbitraries.of(SEGMENTS).list().ofMaxSize(4), Arbitraries.of("", "/"))
                .as((segments, end) -> "/" + String.join("/", segments) + (segments.isEmpty() ? "" : end));
        return Arbitraries.frequencyOf(
                Tuple.of(8, built),
                Tuple.of(1, Arbitraries.of("", "/", "//", "a", "a/b", "/...", "%", "/%", "\u00e9", "/a?b", "/a#b")),
                Tuple.of(1, anyStrings()));
    }

    /** A valid table and a request path: mostly one of its routes' paths, or a near miss of one, with something below it. */
    @Provide
    Arbitrary<Tuple.Tuple2<List<RouteTable.Entry<String>>, String>> routeSetsWithPaths() {
        return routeSets().flatMap(entries -> {
            if (entries.isEmpty()) {
                return paths().map(path -> Tuple.of(entries, path));
            }
            Arbitrary<String> near = Combinators.combine(Arbitraries.of(entries),
                    Arbitraries.of("", "", "", "", "/", "/a", "a", "/a/b/", "/%2F", "/\u00e9", "/..."))
                    .as((entry, suffix) -> entry.pattern().path() + suffix);
            return Arbitraries.frequencyOf(Tuple.of(3, near), Tuple.of(1, paths())).map(path -> Tuple.of(entries, path));
        });
    }

    @Provide
    Arbitrary<String> suffixes() {
        return Arbitraries.of("", "/", "/a", "/a/b/", "/%2F", "/\u00e9");
    }

    @Provide
    Arbitrary<String> anyStrings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(10),
                Arbitraries.strings().withChars("/a.%2F?# \u00e9\u0000\u007f\ud800").ofMaxLength(12),
                Arbitraries.just(""));
    }

    @Provide
    Arbitrary<String> routeTexts() {
        Arbitrary<String> built = Combinators.combine(paths(), Arbitraries.of("", "", "/...", "...", "/....", "/.../", ".../"))
                .as((path, end) -> path + end);
        return Arbitraries.frequencyOf(
                Tuple.of(6, built),
                Tuple.of(2, Arbitraries.strings().withChars("/a.?# \t%\u00e9\u007f").ofMaxLength(10)),
                Tuple.of(1, Arbitraries.strings().withChars("/.").ofMaxLength(8)),
                Tuple.of(1, anyStrings()));
    }

    @Provide
    Arbitrary<RoutePattern> patterns() {
        return Combinators.combine(paths(), Arbitraries.of("", "/..."))
                .as((path, end) -> path + end)
                .filter(RoutingProperties::valid)
                .map(RoutePattern::parse);
    }

    private static final List<String> HOSTS = List.of("a.com", "b.com", "a.com:8080", "b.com:80");

    @Provide
    Arbitrary<Set<String>> hostSets() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Set.<String>of())),
                Tuple.of(2, someHosts()));
    }

    @Provide
    Arbitrary<Set<String>> someHosts() {
        return Arbitraries.of(HOSTS).set().ofMinSize(1).ofMaxSize(2);
    }

    /** Entries, some of which may make the table ambiguous. */
    @Provide
    Arbitrary<List<RouteTable.Entry<String>>> entryLists() {
        return Combinators.combine(patterns(), hostSets()).as(Tuple::of).list().ofMaxSize(8).map(RoutingProperties::entries);
    }

    /** Entries that make a valid table: of the generated ones, those that conflict with an earlier one are left out. */
    @Provide
    Arbitrary<List<RouteTable.Entry<String>>> routeSets() {
        return entryLists().map(all -> {
            List<RouteTable.Entry<String>> kept = new ArrayList<>();
            for (RouteTable.Entry<String> entry : all) {
                if (kept.stream().noneMatch(k -> conflict(k, entry))) {
                    kept.add(entry);
                }
            }
            return kept;
        });
    }

    /** Target = the route, "@hosts" when limited, and the index: the model compares targets. */
    private static List<RouteTable.Entry<String>> entries(List<Tuple.Tuple2<RoutePattern, Set<String>>> specs) {
        List<RouteTable.Entry<String>> entries = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            RoutePattern pattern = specs.get(i).get1();
            Set<String> hosts = specs.get(i).get2();
            entries.add(new RouteTable.Entry<>(pattern, hosts, pattern + (hosts.isEmpty() ? "" : "@" + new TreeSet<>(hosts)) + " #" + i));
        }
        return entries;
    }

    @Provide
    Arbitrary<String> requestHosts() {
        return Arbitraries.of("", "a.com", "A.COM", "b.com", "B.com", "c.com");
    }

    @Provide
    Arbitrary<Integer> ports() {
        return Arbitraries.of(80, 8080, 443, -1);
    }

    @Provide
    Arbitrary<String> routesOutputs() {
        Arbitrary<String> token = Arbitraries.of("/a", "/...", "/a/...", "/", "//", "/a?", "/a b", "ep", "_start", "a", "...", "/....",
                " ", "  ", "\t", "\n", "\n", "\r\n", "\r", "\u000b", "\u001f", "\u00a0", "\u2003", "\u0085", "\u0000", "x y z");
        return Arbitraries.frequencyOf(
                Tuple.of(6, token.list().ofMaxSize(12).map(parts -> String.join("", parts))),
                Tuple.of(3, subRouteLines().map(lines -> {
                    StringBuilder b = new StringBuilder();
                    lines.forEach(l -> b.append(l.get1()).append(' ').append(l.get2()).append('\n'));
                    return b.toString();
                })),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(30)));
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<String, String>>> subRouteLines() {
        Arbitrary<String> routes = Combinators.combine(Arbitraries.of(List.of("a", "b", "ab", "%2F", "\u00e9")).list().ofMaxSize(3),
                Arbitraries.of("", "/", "/..."))
                .as((segments, end) -> segments.isEmpty() ? (end.equals("/...") ? "/..." : "/") : "/" + String.join("/", segments) + end);
        Arbitrary<String> entrypoints = Arbitraries.of("_start", "main", "ep1", "ep2", "h\u00e9");
        return Combinators.combine(routes, entrypoints).as(Tuple::of).list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> lineSeparators() {
        return Arbitraries.of("\n", "\r\n", "\n\n", "\n \n");
    }

    private static String show(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
