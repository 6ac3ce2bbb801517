package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.cgi.CgiResponseHead;
import dev.wagiservlet.cgi.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResponseSinkTest {

    @Test
    void utf8HeaderValuesGoOutAsTheBytesTheModuleWrote() {
        String value = "café ☕";
        String wire = ResponseSink.asWireBytes(value);
        // The container writes each char of a header value as one ISO-8859-1 byte.
        assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void asciiValuesAreUntouched() {
        String value = "text/plain; charset=utf-8";
        assertSame(value, ResponseSink.asWireBytes(value));
    }

    @Test
    void theBodyIsHeldUntilReleasedThenEveryWriteIsFlushed() throws Exception {
        FakePort out = FakePort.get("/r");
        ResponseSink sink = new ResponseSink(out, "/r", 0, false);
        sink.head(new CgiResponseHead(200, List.of(new Header("Content-Type", "text/plain")), Optional.empty(), List.of()));
        assertFalse(sink.holding(), "nothing written yet");
        sink.body("one ".getBytes(StandardCharsets.UTF_8), 0, 4);
        sink.body("two ".getBytes(StandardCharsets.UTF_8), 0, 4);
        assertTrue(sink.holding());
        assertFalse(out.committed, "held in the container's buffer");

        sink.release();
        assertFalse(sink.holding());
        assertEquals(List.of("one two "), out.flushed);
        sink.body("three".getBytes(StandardCharsets.UTF_8), 0, 5);
        assertEquals(List.of("one two ", "three"), out.flushed, "after the release, each write is sent as it is made");
    }

    @Test
    void aReleaseAfterTheRunClosedTheSinkDoesNothing() throws Exception {
        FakePort out = FakePort.get("/r");
        ResponseSink sink = new ResponseSink(out, "/r", 0, false);
        sink.head(new CgiResponseHead(200, List.of(new Header("Content-Type", "text/plain")), Optional.empty(), List.of()));
        sink.body("held".getBytes(StandardCharsets.UTF_8), 0, 4);
        sink.close();
        sink.release();
        assertFalse(out.committed, "the response is the exchange's again: no other thread may touch it");
    }

    @Test
    void theModulesContentLengthIsSetOnTheResponseAndNotAddedAsAHeader() throws Exception {
        FakePort out = FakePort.get("/r");
        ResponseSink sink = new ResponseSink(out, "/r", 0, false);
        sink.head(head(6));
        assertEquals(6L, out.contentLength);
        assertEquals(List.of("Content-Type"), List.copyOf(out.headers.keySet()), "Content-Length is not passed on as a header as well");
        sink.body(bytes("hel"), 0, 3);
        assertEquals(3, sink.shortfall());
        sink.body(bytes("lo!"), 0, 3);
        assertEquals(0, sink.shortfall());
        assertEquals("hello!", out.body());
    }

    @Test
    void aWritePastTheDeclaredLengthStopsTheRunAndWritesNothingOfIt() throws Exception {
        FakePort out = FakePort.get("/r");
        ResponseSink sink = new ResponseSink(out, "/r", 0, false);
        sink.head(head(3));
        sink.body(bytes("ab"), 0, 2);
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> sink.body(bytes("cdef"), 0, 4));
        assertEquals(Failure.OUTPUT_LIMIT, e.failure());
        assertTrue(e.getMessage().contains("Content-Length"), e.getMessage());
        assertEquals("ab", out.body(), "not one byte past the declared length");
    }

    @Test
    void aWritePastTheDeclaredLengthAfterTheReleaseIsNotSentEither() throws Exception {
        FakePort out = FakePort.get("/r");
        ResponseSink sink = new ResponseSink(out, "/r", 0, false);
        sink.head(head(4));
        sink.body(bytes("abc"), 0, 3);
        sink.release();
        assertThrows(LimitExceeded.class, () -> sink.body(bytes("de"), 0, 2));
        assertEquals(List.of("abc"), out.flushed);
        assertEquals("abc", out.body());
    }

    @Test
    void writingExactlyTheDeclaredLengthAcrossWritesIsFine() throws Exception {
        FakePort out = FakePort.get("/r");
        ResponseSink sink = new ResponseSink(out, "/r", 0, false);
        sink.head(head(0));
        sink.body(new byte[0], 0, 0);
        assertEquals(0, sink.shortfall());
        assertThrows(LimitExceeded.class, () -> sink.body(bytes("x"), 0, 1), "a declared 0 allows no body");
    }

    @Test
    void withoutADeclaredLengthThereIsNoShortfall() throws Exception {
        FakePort out = FakePort.get("/r");
        ResponseSink sink = new ResponseSink(out, "/r", 0, false);
        sink.head(new CgiResponseHead(200, List.of(new Header("Content-Type", "text/plain")), Optional.empty(), List.of()));
        sink.body(bytes("anything"), 0, 8);
        assertEquals(0, sink.shortfall());
        assertEquals(-1, out.contentLength);
    }

    @Test
    void headKeepsTheDeclaredLengthWithoutHoldingTheBodyToIt() throws Exception {
        FakePort out = FakePort.get("/r");
        ResponseSink shortHead = new ResponseSink(out, "/r", 0, true);
        shortHead.head(head(1000));
        shortHead.body(bytes("hello!"), 0, 6);
        assertEquals(1000L, out.contentLength, "HEAD answers with the length a GET would have");
        assertEquals(0, shortHead.shortfall(), "a HEAD response has no body to be short");

        FakePort longOut = FakePort.get("/r");
        ResponseSink longHead = new ResponseSink(longOut, "/r", 0, true);
        longHead.head(head(3));
        longHead.body(bytes("abcdef"), 0, 6);
        longHead.body(bytes("gh"), 0, 2);
        assertEquals("", longOut.body(), "no error, and no body passed to the container (Jetty wants none or all of it)");
        assertEquals("", out.body());
    }

    @Test
    void theOutputCapStillAppliesWithADeclaredLength() throws Exception {
        ResponseSink sink = new ResponseSink(FakePort.get("/r"), "/r", 4, false);
        sink.head(head(100));
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> sink.body(bytes("12345"), 0, 5));
        assertTrue(e.getMessage().contains("output limit"), e.getMessage());
    }

    private static CgiResponseHead head(long contentLength) {
        return new CgiResponseHead(200, List.of(new Header("Content-Type", "text/plain")), OptionalLong.of(contentLength),
                Optional.empty(), List.of());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
