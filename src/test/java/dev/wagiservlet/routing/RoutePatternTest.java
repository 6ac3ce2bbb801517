package dev.wagiservlet.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutePatternTest {

    @Test
    void emptyRouteIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutePattern.parse(""));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void nullRouteIsRejected() {
        assertThrows(NullPointerException.class, () -> RoutePattern.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "foo/...", "...", "hello/world"})
    void routeWithoutLeadingSlashIsRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutePattern.parse(text));
        assertTrue(e.getMessage().contains("start with '/'"), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/foo bar", "/foo ", "/foo\tbar", "/foo\nbar", "/foo\u007fbar", "/foo?x=1", "/foo?", "/foo#frag"})
    void spacesControlCharactersQuestionMarkAndHashAreRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutePattern.parse(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.../foo", "/foo/.../bar", "/foo...", "/foo/.../...", "/a...b"})
    void ellipsisNotAtEndIsRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutePattern.parse(text));
        assertTrue(e.getMessage().contains("'...'"), e.getMessage());
    }

    @Test
    void exactRouteParts() {
        RoutePattern p = RoutePattern.parse("/foo/bar");
        assertFalse(p.isPrefix());
        assertEquals("/foo/bar", p.text());
        assertEquals("/foo/bar", p.path());
        assertEquals("/foo/bar", p.toString());
    }

    @Test
    void prefixRouteParts() {
        RoutePattern p = RoutePattern.parse("/foo/...");
        assertTrue(p.isPrefix());
        assertEquals("/foo/...", p.text());
        assertEquals("/foo", p.path());
    }

    @Test
    void catchAllParts() {
        RoutePattern p = RoutePattern.parse("/...");
        assertTrue(p.isPrefix());
        assertEquals("/...", p.text());
        assertEquals("", p.path());
    }

    @Test
    void rootIsAnExactRoute() {
        RoutePattern p = RoutePattern.parse("/");
        assertFalse(p.isPrefix());
        assertTrue(p.matches("/"));
        assertFalse(p.matches("/x"));
        assertFalse(p.matches(""));
        assertEquals("/", p.scriptName());
    }

    @ParameterizedTest
    @CsvSource({
        "/foo, /foo, true",
        "/foo, /foo/, false",
        "/foo/, /foo/, true",
        "/foo/, /foo, false",
        "/foo, /foobar, false",
        "/foo, /foo/bar, false",
        "/foo, /FOO, false",
        "/foo/bar, /foo/bar, true",
        "/a%2Fb, /a%2Fb, true",
        "/a/b, /a%2Fb, false",
        "/a%2Fb, /a/b, false",
    })
    void exactMatching(String route, String path, boolean expected) {
        assertEquals(expected, RoutePattern.parse(route).matches(path), route + " vs " + path);
    }

    @ParameterizedTest
    @CsvSource({
        "/foo/..., /foo, true",
        "/foo/..., /foo/, true",
        "/foo/..., /foo/bar, true",
        "/foo/..., /foo/bar/baz/, true",
        "/foo/..., /foobar, false",
        "/foo/..., /fo, false",
        "/foo/..., /, false",
        "/foo/..., /bar/foo, false",
        "/foo/..., /foo%2Fbar, false",
        "/..., /, true",
        "/..., /anything, true",
        "/..., /a/b/c, true",
        "/..., //, true",
        "/a/b/..., /a/b/c, true",
        "/a/b/..., /a/bc, false",
        "/a/b/..., /a, false",
    })
    void prefixMatching(String route, String path, boolean expected) {
        assertEquals(expected, RoutePattern.parse(route).matches(path), route + " vs " + path);
    }

    @Test
    void catchAllDoesNotMatchPathsWithoutLeadingSlash() {
        RoutePattern p = RoutePattern.parse("/...");
        assertFalse(p.matches("foo"));
    }

    @ParameterizedTest
    @CsvSource({
        "/foo/..., /foo",
        "/..., /",
        "/foo, /foo",
        "/foo/, /foo/",
        "/a/b/..., /a/b",
    })
    void scriptName(String route, String expected) {
        assertEquals(expected, RoutePattern.parse(route).scriptName());
    }

    @ParameterizedTest
    @CsvSource(value = {
        "/foo | /foo | ''",
        "/foo/ | /foo/ | ''",
        "/foo/... | /foo | ''",
        "/foo/... | /foo/ | /",
        "/foo/... | /foo/bar | /bar",
        "/foo/... | /foo/bar/ | /bar/",
        "/foo/... | /foo/bar/baz | /bar/baz",
        "/foo/... | /foo/test%3brun | /test%3brun",
        "/foo/... | /foobar | ''",
        "/foo/... | /other | ''",
        "/... | / | /",
        "/... | /x/y | /x/y",
        "/path/... | /path/test%3brun | /test%3brun",
    }, delimiter = '|')
    void relativePath(String route, String path, String expected) {
        assertEquals(expected, RoutePattern.parse(route).relativePath(path), route + " with " + path);
    }

    @Test
    void exactRouteRelativePathIsEmptyEvenForOtherPaths() {
        assertEquals("", RoutePattern.parse("/foo").relativePath("/foo/bar"));
    }

    @Test
    void equalityIsByText() {
        assertEquals(RoutePattern.parse("/foo/..."), RoutePattern.parse("/foo/..."));
        assertEquals(RoutePattern.parse("/foo/...").hashCode(), RoutePattern.parse("/foo/...").hashCode());
        assertNotEquals(RoutePattern.parse("/foo"), RoutePattern.parse("/foo/..."));
        assertNotEquals(RoutePattern.parse("/foo"), RoutePattern.parse("/foo/"));
    }
}
