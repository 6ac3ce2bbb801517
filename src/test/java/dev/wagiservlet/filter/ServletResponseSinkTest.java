package dev.wagiservlet.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.cgi.CgiResponseHead;
import dev.wagiservlet.cgi.Header;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServletResponseSinkTest {

    @Test
    void utf8HeaderValuesGoOutAsTheBytesTheModuleWrote() {
        String value = "café ☕";
        String wire = ServletResponseSink.asWireBytes(value);
        // The container writes each char of a header value as one ISO-8859-1 byte.
        assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void asciiValuesAreUntouched() {
        String value = "text/plain; charset=utf-8";
        assertSame(value, ServletResponseSink.asWireBytes(value));
    }

    @Test
    void theBodyIsHeldUntilReleasedThenEveryWriteIsFlushed() throws Exception {
        RecordingOutput out = new RecordingOutput();
        ServletResponseSink sink = new ServletResponseSink(response(out), "/r", 0, false);
        sink.head(new CgiResponseHead(200, List.of(new Header("Content-Type", "text/plain")), Optional.empty(), List.of()));
        assertFalse(sink.holding(), "nothing written yet");
        sink.body("one ".getBytes(StandardCharsets.UTF_8), 0, 4);
        sink.body("two ".getBytes(StandardCharsets.UTF_8), 0, 4);
        assertTrue(sink.holding());
        assertEquals(0, out.flushes, "held in the container's buffer");

        sink.release();
        assertFalse(sink.holding());
        assertEquals(List.of("one two "), out.flushed);
        sink.body("three".getBytes(StandardCharsets.UTF_8), 0, 5);
        assertEquals(List.of("one two ", "three"), out.flushed, "after the release, each write is sent as it is made");
    }

    @Test
    void aReleaseAfterTheRunClosedTheSinkDoesNothing() throws Exception {
        RecordingOutput out = new RecordingOutput();
        ServletResponseSink sink = new ServletResponseSink(response(out), "/r", 0, false);
        sink.head(new CgiResponseHead(200, List.of(new Header("Content-Type", "text/plain")), Optional.empty(), List.of()));
        sink.body("held".getBytes(StandardCharsets.UTF_8), 0, 4);
        sink.close();
        sink.release();
        assertEquals(0, out.flushes, "the response is the filter's again: no other thread may touch it");
    }

    @Test
    void theModulesContentLengthIsSetOnTheResponseAndNotAddedAsAHeader() throws Exception {
        RecordingOutput out = new RecordingOutput();
        Map<String, Object> calls = new HashMap<>();
        ServletResponseSink sink = new ServletResponseSink(response(out, calls), "/r", 0, false);
        sink.head(head(6));
        assertEquals(6L, calls.get("setContentLengthLong"));
        assertEquals(List.of("Content-Type"), calls.get("headers"), "Content-Length is not passed on as a header as well");
        sink.body(bytes("hel"), 0, 3);
        assertEquals(3, sink.shortfall());
        sink.body(bytes("lo!"), 0, 3);
        assertEquals(0, sink.shortfall());
        assertEquals("hello!", out.all());
    }

    @Test
    void aWritePastTheDeclaredLengthStopsTheRunAndWritesNothingOfIt() throws Exception {
        RecordingOutput out = new RecordingOutput();
        ServletResponseSink sink = new ServletResponseSink(response(out), "/r", 0, false);
        sink.head(head(3));
        sink.body(bytes("ab"), 0, 2);
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> sink.body(bytes("cdef"), 0, 4));
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("Content-Length"), e.getMessage());
        assertEquals("ab", out.all(), "not one byte past the declared length");
    }

    @Test
    void aWritePastTheDeclaredLengthAfterTheReleaseIsNotSentEither() throws Exception {
        RecordingOutput out = new RecordingOutput();
        ServletResponseSink sink = new ServletResponseSink(response(out), "/r", 0, false);
        sink.head(head(4));
        sink.body(bytes("abc"), 0, 3);
        sink.release();
        assertThrows(LimitExceeded.class, () -> sink.body(bytes("de"), 0, 2));
        assertEquals(List.of("abc"), out.flushed);
        assertEquals("abc", out.all());
    }

    @Test
    void writingExactlyTheDeclaredLengthAcrossWritesIsFine() throws Exception {
        RecordingOutput out = new RecordingOutput();
        ServletResponseSink sink = new ServletResponseSink(response(out), "/r", 0, false);
        sink.head(head(0));
        sink.body(new byte[0], 0, 0);
        assertEquals(0, sink.shortfall());
        assertThrows(LimitExceeded.class, () -> sink.body(bytes("x"), 0, 1), "a declared 0 allows no body");
    }

    @Test
    void withoutADeclaredLengthThereIsNoShortfall() throws Exception {
        RecordingOutput out = new RecordingOutput();
        Map<String, Object> calls = new HashMap<>();
        ServletResponseSink sink = new ServletResponseSink(response(out, calls), "/r", 0, false);
        sink.head(new CgiResponseHead(200, List.of(new Header("Content-Type", "text/plain")), Optional.empty(), List.of()));
        sink.body(bytes("anything"), 0, 8);
        assertEquals(0, sink.shortfall());
        assertFalse(calls.containsKey("setContentLengthLong"));
    }

    @Test
    void headKeepsTheDeclaredLengthWithoutHoldingTheBodyToIt() throws Exception {
        RecordingOutput out = new RecordingOutput();
        Map<String, Object> calls = new HashMap<>();
        ServletResponseSink shortHead = new ServletResponseSink(response(out, calls), "/r", 0, true);
        shortHead.head(head(1000));
        shortHead.body(bytes("hello!"), 0, 6);
        assertEquals(1000L, calls.get("setContentLengthLong"), "HEAD answers with the length a GET would have");
        assertEquals(0, shortHead.shortfall(), "a HEAD response has no body to be short");

        RecordingOutput longOut = new RecordingOutput();
        ServletResponseSink longHead = new ServletResponseSink(response(longOut), "/r", 0, true);
        longHead.head(head(3));
        longHead.body(bytes("abcdef"), 0, 6);
        longHead.body(bytes("gh"), 0, 2);
        assertEquals("", longOut.all(), "no error, and no body passed to the container (Jetty wants none or all of it)");
        assertEquals("", out.all());
    }

    @Test
    void theOutputCapStillAppliesWithADeclaredLength() throws Exception {
        ServletResponseSink sink = new ServletResponseSink(response(new RecordingOutput()), "/r", 4, false);
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

    @Test
    void aGuardHandsOverHeldOutputOnceAndOnlyAfterTheHold() {
        long start = 1_000_000_000L;
        long hold = TimeUnit.MILLISECONDS.toNanos(20);
        RunGuard guard = new RunGuard(Thread.currentThread(), start, start + TimeUnit.SECONDS.toNanos(30), () -> {});
        assertNull(guard.heldOutputOlderThan(hold, start + 2 * hold), "no output registered");
        boolean[] holding = {false};
        RunGuard.HeldOutput output = new RunGuard.HeldOutput() {
            @Override
            public boolean holding() {
                return holding[0];
            }

            @Override
            public void release() {}
        };
        guard.holdOutput(output);
        assertNull(guard.heldOutputOlderThan(hold, start + 2 * hold), "nothing held yet");
        holding[0] = true;
        assertNull(guard.heldOutputOlderThan(hold, start + hold - 1), "still within the hold");
        assertSame(output, guard.heldOutputOlderThan(hold, start + hold));
        assertNull(guard.heldOutputOlderThan(hold, start + 3 * hold), "handed over once");
    }

    private static HttpServletResponse response(ServletOutputStream out) {
        return response(out, new HashMap<>());
    }

    /** A response that records setContentLengthLong's value and the names given to addHeader or setContentType. */
    @SuppressWarnings("unchecked")
    private static HttpServletResponse response(ServletOutputStream out, Map<String, Object> calls) {
        return (HttpServletResponse) Proxy.newProxyInstance(HttpServletResponse.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getOutputStream" -> out;
                    case "isCommitted" -> false;
                    case "setContentLengthLong" -> calls.put("setContentLengthLong", args[0]);
                    case "setContentType" -> ((List<String>) calls.computeIfAbsent("headers", k -> new ArrayList<>())).add("Content-Type");
                    case "addHeader", "setHeader" -> ((List<String>) calls.computeIfAbsent("headers", k -> new ArrayList<>())).add((String) args[0]);
                    default -> null;
                });
    }

    /** A response body that records what each flush sent. */
    private static final class RecordingOutput extends ServletOutputStream {
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        final List<String> flushed = new java.util.ArrayList<>();
        int flushes;

        @Override
        public void write(int b) {
            pending.write(b);
        }

        /** Everything written, flushed or not. */
        String all() {
            return String.join("", flushed) + pending.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void flush() {
            flushes++;
            flushed.add(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}
    }
}
