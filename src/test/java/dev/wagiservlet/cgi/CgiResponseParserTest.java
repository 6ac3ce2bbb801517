package dev.wagiservlet.cgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CgiResponseParserTest {

    private static CgiResponseHead parse(String block) {
        byte[] bytes = block.getBytes(StandardCharsets.UTF_8);
        return CgiResponseParser.parse(bytes, bytes.length);
    }

    private static Header h(String name, String value) {
        return new Header(name, value);
    }

    @Test
    void contentTypeOnly() {
        CgiResponseHead head = parse("Content-Type: text/plain\n");
        assertTrue(head.isValid());
        assertEquals(200, head.status());
        assertEquals(List.of(h("Content-Type", "text/plain")), head.headers());
        assertEquals(Optional.empty(), head.error());
        assertEquals(List.of(), head.warnings());
    }

    @Test
    void namesAreCaseInsensitiveAndNormalised() {
        CgiResponseHead head = parse("content-type: text/html\nSTATUS: 201 Created\nlocation: http://example.com/x\n");
        assertEquals(201, head.status());
        assertEquals(List.of(h("Content-Type", "text/html"), h("Location", "http://example.com/x")), head.headers());
    }

    @Test
    void statusWinsOverLocationWhenAfter() {
        CgiResponseHead head = parse("Location: http://example.com/created\nStatus: 201 Created\nContent-Type: text/plain\n");
        assertTrue(head.isValid());
        assertEquals(201, head.status());
        assertTrue(head.headers().contains(h("Location", "http://example.com/created")));
        assertTrue(head.headers().contains(h("Content-Type", "text/plain")));
    }

    @Test
    void statusWinsOverLocationWhenBefore() {
        CgiResponseHead head = parse("Status: 307 Temporary Redirect\nLocation: http://example.com/tmp\n");
        assertTrue(head.isValid());
        assertEquals(307, head.status());
        assertEquals(List.of(h("Location", "http://example.com/tmp")), head.headers());
    }

    @Test
    void locationAloneIs302() {
        CgiResponseHead head = parse("Location: http://example.com/elsewhere\n");
        assertTrue(head.isValid());
        assertEquals(302, head.status());
        assertEquals(List.of(h("Location", "http://example.com/elsewhere")), head.headers());
    }

    @Test
    void locationValueKeepsColons() {
        CgiResponseHead head = parse("Location: https://example.com:8443/a:b\n");
        assertEquals(List.of(h("Location", "https://example.com:8443/a:b")), head.headers());
    }

    @Test
    void statusAloneIsSufficient() {
        CgiResponseHead head = parse("Status: 204 No Content\n");
        assertTrue(head.isValid());
        assertEquals(204, head.status());
        assertEquals(List.of(), head.headers());
    }

    @Test
    void statusWithReasonPhrase() {
        CgiResponseHead head = parse("Status: 404 Not Found\nContent-Type: text/plain\n");
        assertEquals(404, head.status());
        assertEquals(List.of(h("Content-Type", "text/plain")), head.headers());
        assertTrue(head.headers().stream().noneMatch(x -> x.name().equalsIgnoreCase("Status")));
    }

    @Test
    void statusWithoutReasonPhrase() {
        assertEquals(418, parse("Status: 418\nContent-Type: text/plain\n").status());
        assertEquals(999, parse("Status: 999\n").status());
        assertEquals(200, parse("Status: 200\n").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"100 Continue", "101 Switching Protocols", "102", "103 Early Hints", "199"})
    void informationalStatusIs502BecauseItCannotEndAResponse(String status) {
        CgiResponseHead head = parse("Status: " + status + "\nUpgrade: websocket\nContent-Type: text/plain\n");
        assertFalse(head.isValid(), "a 1xx sent as the final response desynchronises the connection");
        assertEquals(502, head.status());
        assertTrue(head.error().orElseThrow().contains("'" + status + "'"), head.error().orElseThrow());
        assertEquals(List.of(), head.headers());
    }

    @Test
    void contentLengthIsKeptApartFromTheHeaders() {
        CgiResponseHead head = parse("Content-Type: text/plain\nContent-Length: 1000\nX-A: 1\n");
        assertTrue(head.isValid());
        assertEquals(OptionalLong.of(1000), head.contentLength());
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X-A", "1")), head.headers(), "never passed on as a header");
        assertEquals(List.of(), head.warnings());
    }

    @Test
    void noContentLengthLeavesTheLengthOpen() {
        assertEquals(OptionalLong.empty(), parse("Content-Type: text/plain\n").contentLength());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "content-length: 0|0",
        "CONTENT-LENGTH:   6  |6",
        "Content-Length: 007|7",
        "Content-Length: 5\\nContent-Length: 5|5",
        "Content-Length: 5, 5|5",
        "Content-Length: 999999999999999999|999999999999999999",
    })
    void aSingleNonNegativeDecimalIsAValidLength(String lines, long expected) {
        CgiResponseHead head = parse("Content-Type: text/plain\n" + lines.replace("\\n", "\n") + "\n");
        assertTrue(head.isValid(), () -> head.error().orElseThrow());
        assertEquals(OptionalLong.of(expected), head.contentLength());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+6", "6.0", "0x10", "six", "", "6 6", "5, 6", "5,", ",5", "1e3", "١٢",
        "9999999999999999999", "99999999999999999999999", "6\u0000"})
    void anyOtherContentLengthIs502(String value) {
        CgiResponseHead head = parse("Content-Type: text/plain\nContent-Length: " + value + "\n");
        assertFalse(head.isValid(), () -> "accepted '" + value + "' as " + head.contentLength());
        assertEquals(502, head.status());
        assertTrue(head.error().orElseThrow().contains("Content-Length"), head.error().orElseThrow());
    }

    @Test
    void differingContentLengthsOnSeveralLinesAre502() {
        CgiResponseHead head = parse("Content-Type: text/plain\nContent-Length: 6\nContent-Length: 1000\n");
        assertFalse(head.isValid());
        assertEquals(502, head.status());
        assertTrue(head.error().orElseThrow().contains("'6', '1000'"), head.error().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void aStatusWithoutBodyDropsTheContentLengthWithAWarning(int status) {
        CgiResponseHead head = parse("Status: " + status + "\nContent-Length: 42\n");
        assertTrue(head.isValid());
        assertEquals(status, head.status());
        assertEquals(OptionalLong.empty(), head.contentLength());
        assertEquals(List.of(), head.headers());
        assertEquals(1, head.warnings().size(), head.warnings().toString());
        assertTrue(head.warnings().get(0).contains("Content-Length"), head.warnings().toString());
    }

    @Test
    void anInvalidContentLengthIs502EvenWithAStatusWithoutBody() {
        assertEquals(502, parse("Status: 204\nContent-Length: -1\n").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "42", "1000", "099", "000", "", "20x", "-12", "2 00", "404Not Found", "+20"})
    void unparseableStatusIs502(String status) {
        CgiResponseHead head = parse("Status: " + status + "\nContent-Type: text/plain\n");
        assertFalse(head.isValid());
        assertEquals(502, head.status());
        assertTrue(head.error().orElseThrow().contains("Status"), head.error().orElseThrow());
        assertEquals(List.of(), head.headers());
    }

    @Test
    void invalidStatusMessageNamesTheValue() {
        CgiResponseHead head = parse("Status: abc\n");
        assertTrue(head.error().orElseThrow().contains("'abc'"), head.error().orElseThrow());
    }

    @Test
    void noContentTypeLocationOrStatusIs500() {
        CgiResponseHead head = parse("X-Foo: bar\n");
        assertFalse(head.isValid());
        assertEquals(500, head.status());
        assertEquals(Optional.of(CgiResponseParser.NO_CONTENT_TYPE), head.error());
        assertEquals("Exactly one of 'location' or 'content-type' must be specified", CgiResponseParser.NO_CONTENT_TYPE);
        assertEquals(List.of(), head.headers());
    }

    @Test
    void emptyBlockIs500() {
        CgiResponseHead head = CgiResponseParser.parse(new byte[0], 0);
        assertEquals(500, head.status());
        assertEquals(Optional.of(CgiResponseParser.NO_CONTENT_TYPE), head.error());
    }

    @Test
    void repeatedHeadersAreKeptInOrder() {
        CgiResponseHead head = parse("Content-Type: text/plain\nSet-Cookie: a=1\nSet-Cookie: b=2\nX-Custom: yes\n");
        assertEquals(List.of(
                h("Content-Type", "text/plain"),
                h("Set-Cookie", "a=1"),
                h("Set-Cookie", "b=2"),
                h("X-Custom", "yes")), head.headers());
    }

    @Test
    void otherHeadersKeepTheModulesOrderAndCase() {
        CgiResponseHead head = parse("X-B: 2\nContent-Type: text/plain\nx-a: 1\nCache-Control: no-cache\nX-B: 3\n");
        List<Header> others = head.headers().stream().filter(x -> !x.name().equals("Content-Type")).toList();
        assertEquals(List.of(h("X-B", "2"), h("x-a", "1"), h("Cache-Control", "no-cache"), h("X-B", "3")), others);
    }

    @Test
    void lastContentTypeWins() {
        CgiResponseHead head = parse("Content-Type: text/plain\nContent-Type: text/html\n");
        assertEquals(List.of(h("Content-Type", "text/html")), head.headers());
    }

    @Test
    void namesAndValuesAreTrimmed() {
        CgiResponseHead head = parse("Content-Type:text/plain\n  X-Spaced  :   v w  \n");
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X-Spaced", "v w")), head.headers());
    }

    @Test
    void emptyValueIsKept() {
        CgiResponseHead head = parse("Content-Type: text/plain\nX-Empty:\n");
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X-Empty", "")), head.headers());
    }

    @Test
    void linesWithoutColonAreSkippedWithAWarning() {
        CgiResponseHead head = parse("Content-Type: text/plain\nthis is not a header\nX-A: 1\n");
        assertTrue(head.isValid());
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X-A", "1")), head.headers());
        assertEquals(1, head.warnings().size());
        assertTrue(head.warnings().get(0).contains("this is not a header"), head.warnings().get(0));
    }

    @Test
    void blankLinesInsideTheBlockAreIgnored() {
        // a block given to the parser directly may contain whitespace-only lines
        CgiResponseHead head = parse("\n  \nContent-Type: text/plain\n \t \nX-A: 1\n");
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X-A", "1")), head.headers());
        assertEquals(List.of(), head.warnings());
    }

    @Test
    void invalidHeaderNamesAreSkippedWithAWarning() {
        CgiResponseHead head = parse("Content-Type: text/plain\nBad Name: x\nX(y): z\n: no name\nX\"Q: q\nX-Good: ok\n");
        assertTrue(head.isValid());
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X-Good", "ok")), head.headers());
        assertEquals(4, head.warnings().size(), head.warnings().toString());
        assertTrue(head.warnings().get(0).contains("Bad Name"), head.warnings().get(0));
    }

    @Test
    void tokenCharactersAreValidNames() {
        CgiResponseHead head = parse("Content-Type: text/plain\nX!#$%&'*+-.^_`|~9: v\n");
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X!#$%&'*+-.^_`|~9", "v")), head.headers());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding: chunked", "Connection: close", "transfer-encoding: gzip",
            "CONNECTION: keep-alive", "Keep-Alive: timeout=5", "Upgrade: websocket", "TE: trailers", "Trailer: X"})
    void hopByHopHeadersAreSkipped(String line) {
        CgiResponseHead head = parse("Content-Type: text/plain\n" + line + "\nX-A: 1\n");
        assertTrue(head.isValid());
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X-A", "1")), head.headers());
        assertEquals(1, head.warnings().size());
    }

    @Test
    void headerValueWithControlCharactersIsSkipped() {
        CgiResponseHead head = parse("Content-Type: text/plain\nX-Bad: a\u0001b\nX-Del: a\u007fb\nX-Tab: a\tb\n");
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X-Tab", "a\tb")), head.headers());
        assertEquals(2, head.warnings().size());
    }

    @Test
    void utf8HeaderValuesAreKept() {
        CgiResponseHead head = parse("Content-Type: text/plain; charset=utf-8\nX-Name: café ☕\n");
        assertEquals(List.of(h("Content-Type", "text/plain; charset=utf-8"), h("X-Name", "café ☕")), head.headers());
    }

    @Test
    void nonUtf8BlockIs500() {
        byte[] block = {'C', 'o', 'n', 't', 'e', 'n', 't', '-', 'T', 'y', 'p', 'e', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'};
        CgiResponseHead head = CgiResponseParser.parse(block, block.length);
        assertFalse(head.isValid());
        assertEquals(500, head.status());
        assertTrue(head.error().orElseThrow().contains("UTF-8"), head.error().orElseThrow());
        assertEquals(List.of(), head.headers());
    }

    @Test
    void truncatedUtf8SequenceIs500() {
        byte[] block = "Content-Type: text/plain\nX-A: \u00e9".getBytes(StandardCharsets.UTF_8);
        CgiResponseHead head = CgiResponseParser.parse(block, block.length - 1);
        assertEquals(500, head.status());
        assertFalse(head.isValid());
    }

    @Test
    void onlyTheGivenLengthIsParsed() {
        byte[] block = "Content-Type: text/plain\nX-Ignored: \u00ff\u00fe".getBytes(StandardCharsets.ISO_8859_1);
        CgiResponseHead head = CgiResponseParser.parse(block, "Content-Type: text/plain\n".length());
        assertTrue(head.isValid());
        assertEquals(List.of(h("Content-Type", "text/plain")), head.headers());
    }

    @Test
    void contentTypeAndLocationTogether() {
        CgiResponseHead head = parse("Location: http://example.com/\nContent-Type: text/html\nX-A: 1\n");
        assertEquals(302, head.status());
        assertEquals(List.of(h("Content-Type", "text/html"), h("Location", "http://example.com/"), h("X-A", "1")),
                head.headers());
    }

    @Test
    void controlCharactersInLocationOrContentTypeAreABadGateway() {
        for (String block : new String[] {"Location: http://x/\u0001y\n", "Content-Type: text/\u0000plain\n", "Status: 200 O\u0007K\n"}) {
            CgiResponseHead head = parse(block);
            assertEquals(502, head.status(), block);
            assertFalse(head.isValid(), block);
            assertTrue(head.headers().isEmpty(), "no header with a control character is sent");
        }
    }
}
