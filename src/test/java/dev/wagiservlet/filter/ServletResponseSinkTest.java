package dev.wagiservlet.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.cgi.CgiResponseHead;
import dev.wagiservlet.cgi.Header;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
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
        ServletResponseSink sink = new ServletResponseSink(response(out), "/r", 0);
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
        ServletResponseSink sink = new ServletResponseSink(response(out), "/r", 0);
        sink.head(new CgiResponseHead(200, List.of(new Header("Content-Type", "text/plain")), Optional.empty(), List.of()));
        sink.body("held".getBytes(StandardCharsets.UTF_8), 0, 4);
        sink.close();
        sink.release();
        assertEquals(0, out.flushes, "the response is the filter's again: no other thread may touch it");
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
        return (HttpServletResponse) Proxy.newProxyInstance(HttpServletResponse.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getOutputStream" -> out;
                    case "isCommitted" -> false;
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
