package dev.wagiservlet.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A module's {@code _routes} output, joined onto the route it is mounted at as wagi does (reference §7). */
class SubRoutesTest {

    private static List<SubRoutes.SubRoute> parse(String parent, String output) {
        return SubRoutes.parse(RoutePattern.parse(parent), output);
    }

    /** Joined route text to entrypoint, in the order parse returns them. */
    private static Map<String, String> routes(String parent, String output) {
        Map<String, String> routes = new LinkedHashMap<>();
        for (SubRoutes.SubRoute sub : parse(parent, output)) {
            routes.put(sub.pattern().text(), sub.entrypoint());
        }
        return routes;
    }

    private static IllegalArgumentException fails(String parent, String output) {
        return assertThrows(IllegalArgumentException.class, () -> parse(parent, output));
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    // --- the reference's joining examples ---------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "/example, /goodbye/..., /example/goodbye/...",
        "/..., /exact, /exact",
        "/, /exact, /exact",
        "/exactparentslash/, /exact, /exactparentslash/exact",
        "/wildcardparent/..., /wildcard/..., /wildcardparent/wildcard/...",
        "/exactparent, /exact, /exactparent/exact",
        "/wildcardparent/..., /exact, /wildcardparent/exact",
        "/..., /wildcard/..., /wildcard/...",
        "/example, /main, /example/main"})
    void joinsOntoTheParent(String parent, String declared, String joined) {
        List<SubRoutes.SubRoute> subs = parse(parent, declared + " handler\n");
        assertEquals(1, subs.size());
        assertEquals(RoutePattern.parse(joined), subs.get(0).pattern());
        assertEquals(joined, subs.get(0).pattern().text());
        assertEquals("handler", subs.get(0).entrypoint());
    }

    @Test
    void exampleGoodbyeIsAPrefixUnderExample() {
        RoutePattern p = parse("/example", "/goodbye/... goodbye").get(0).pattern();
        assertTrue(p.isPrefix());
        assertEquals("/example/goodbye", p.path());
        assertTrue(p.matches("/example/goodbye"));
        assertTrue(p.matches("/example/goodbye/x"));
        assertFalse(p.matches("/goodbye/x"));
    }

    @Test
    void kindsAreKept() {
        List<SubRoutes.SubRoute> subs = parse("/p/...", "/exact e\n/wild/... w\n/... all\n");
        assertFalse(subs.get(0).pattern().isPrefix());
        assertTrue(subs.get(1).pattern().isPrefix());
        assertTrue(subs.get(2).pattern().isPrefix());
        assertEquals("/p/...", subs.get(2).pattern().text());

        List<SubRoutes.SubRoute> underExact = parse("/e", "/x x\n/y/... y\n");
        assertFalse(underExact.get(0).pattern().isPrefix());
        assertTrue(underExact.get(1).pattern().isPrefix());
    }

    @Test
    void rootSubRoutes() {
        assertEquals(Map.of("/", "main"), routes("/", "/ main\n"));
        assertEquals(Map.of("/", "main"), routes("/...", "/ main\n"));
        assertEquals(Map.of("/p/...", "all"), routes("/p/...", "/... all\n"));
        // wagi: concat_no_duplicate_slash("/example", "/") = "/example/"
        assertEquals(Map.of("/example/", "_start"), routes("/example", "/ _start\n"));
    }

    /**
     * wagi's concat_no_duplicate_slash drops one trailing '/' of the parent and one leading '/' of the
     * declared route, and joins them with one '/'; slashes elsewhere are part of the routes.
     */
    @Test
    void onlyTheSlashesAtTheJoinAreMerged() {
        assertEquals(Map.of("/a/b", "x"), routes("/a/", "/b x"));
        assertEquals(Map.of("/a//b/x", "x"), routes("/a//b", "/x x"));
        assertEquals(Map.of("/a/b//c", "x"), routes("/a", "/b//c x"));
    }

    @Test
    void severalLinesInOrder() {
        assertEquals(List.of("/ex/a", "/ex/b/...", "/ex/c"),
                parse("/ex", "/a one\n/b/... two\n/c three\n").stream().map(s -> s.pattern().text()).toList());
        assertEquals(Map.of("/ex/a", "one", "/ex/b/...", "two", "/ex/c", "three"), routes("/ex", "/a one\n/b/... two\n/c three\n"));
    }

    @Test
    void aLaterDuplicateLineWins() {
        Map<String, String> routes = routes("/ex", "/a first\n/b b\n/a second\n");
        assertEquals(Map.of("/ex/a", "second", "/ex/b", "b"), routes);
        assertEquals(2, parse("/ex", "/a first\n/b b\n/a second\n").size());
    }

    @Test
    void aLaterDuplicatePrefixLineWins() {
        assertEquals(Map.of("/p/x/...", "two"), routes("/p/...", "/x/... one\n/x/... two\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "\n\n\n", "   \n\t\n", "\r\n"})
    void emptyOutputIsAnError(String output) {
        IllegalArgumentException e = fails("/ex", output);
        assertMentions(e, "_routes", "no routes");
    }

    @Test
    void oneTokenLineIsRejectedNamingLineNumberAndText() {
        IllegalArgumentException e = fails("/ex", "/a first\n/b\n");
        assertMentions(e, "line 2", "'/b'", "<route> <entrypoint>");
    }

    @Test
    void threeTokenLineIsRejectedNamingLineNumberAndText() {
        IllegalArgumentException e = fails("/ex", "/a first extra\n/b second\n");
        assertMentions(e, "line 1", "'/a first extra'", "<route> <entrypoint>");
    }

    @Test
    void blankLinesAreIgnoredButCounted() {
        assertEquals(Map.of("/ex/a", "a", "/ex/b", "b"), routes("/ex", "\n/a a\n\n   \n/b b\n\n"));
        IllegalArgumentException e = fails("/ex", "\n\n/a a\n\n/b\n");
        assertMentions(e, "line 5", "'/b'");
    }

    @Test
    void crlfLineEnds() {
        assertEquals(Map.of("/ex/a", "first", "/ex/b/...", "second"), routes("/ex", "/a first\r\n/b/... second\r\n"));
        IllegalArgumentException e = fails("/ex", "/a first\r\n/b\r\n");
        assertMentions(e, "line 2", "'/b'");
        assertFalse(e.getMessage().contains("\r"), e.getMessage());
    }

    @Test
    void noFinalLineEnd() {
        assertEquals(Map.of("/ex/a", "first"), routes("/ex", "/a first"));
    }

    @Test
    void anyWhiteSpaceSeparatesTheTokens() {
        assertEquals(Map.of("/ex/a", "first", "/ex/b", "second"), routes("/ex", "  /a \t first  \n\t/b\tsecond\t\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/.../b e", "/a?b e", "/a#b e", "/.../x e"})
    void badRouteIsRejectedNamingTheLine(String line) {
        IllegalArgumentException e = fails("/ex", line + "\n");
        assertMentions(e, "line 1", "'" + line + "'");
    }
}
