package dev.wagiservlet.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RawPathTest {

    @Test
    void aPathTheContainerOnlyDecodedAgrees() {
        assertTrue(RawPath.agrees("/hello", "/hello"));
        assertTrue(RawPath.agrees("/env/a%20b/%C3%A9", "/env/a b/\u00e9"));
        assertTrue(RawPath.agrees("/a+b", "/a+b"), "+ is not a space in a path");
    }

    @Test
    void dotSegmentsParametersAndMergedSlashesDisagree() {
        assertFalse(RawPath.agrees("/x/env/../../hello", "/hello"));
        assertFalse(RawPath.agrees("/x/env/%2e%2e/%2e%2e/hello", "/hello"));
        assertFalse(RawPath.agrees("/x/env/secret/..;/..;/..;/hello", "/hello"));
        assertFalse(RawPath.agrees("/hello;jsessionid=1", "/hello"));
        assertFalse(RawPath.agrees("//hello", "/hello"));
        assertFalse(RawPath.agrees("/hello/./", "/hello/"));
    }

    @Test
    void noNormalisedPathNeverAgrees() {
        assertFalse(RawPath.agrees("/hello", null));
    }

    @Test
    void decodesUtf8AndLeavesWhatIsNotAnEscape() {
        assertEquals("/\u00e9/%zz/%", RawPath.decode("/%c3%a9/%zz/%"));
        assertEquals("/\ufffd", RawPath.decode("/%ff"));
    }
}
