package dev.wagiservlet.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    @Test
    void aSmallBodyIsReadWholeBeforeTheRun() throws IOException {
        Counting in = new Counting(new ByteArrayInputStream("hello".getBytes(UTF_8)));
        RequestBody body = RequestBody.read(in, 5, false);
        assertEquals(5, body.prefetched());
        int before = in.reads;
        assertArrayEquals("hello".getBytes(UTF_8), body.stdin(s -> s).readAllBytes());
        assertEquals(before, in.reads, "the module reads what was fetched, not the container's stream");
    }

    @Test
    void noBodyIsNotWaitedFor() throws IOException {
        Counting in = new Counting(new ByteArrayInputStream(new byte[0]));
        RequestBody body = RequestBody.read(in, -1, false);
        assertEquals(0, body.prefetched());
        assertEquals(0, in.reads);
        assertEquals(-1, body.stdin(s -> s).read());
    }

    @Test
    void aStreamingBodyStartsTheRunWithItsFirstBytes() throws IOException {
        // The first part arrived; the rest would block (available() == 0): the run starts with what is there.
        InputStream in = new SequenceInputStream(new ByteArrayInputStream("first".getBytes(UTF_8)),
                new ByteArrayInputStream(" then more".getBytes(UTF_8))) {
            @Override
            public int available() {
                return 0;
            }
        };
        RequestBody body = RequestBody.read(in, -1, true);
        assertEquals(5, body.prefetched());
        int[] guarded = {0};
        InputStream stdin = body.stdin(rest -> {
            guarded[0]++;
            return rest;
        });
        assertEquals("first then more", new String(stdin.readAllBytes(), UTF_8));
        assertEquals(1, guarded[0], "the rest comes through the run's guard");
    }

    @Test
    void aLargeBodyFetchesAtMostThePrefetch() throws IOException {
        byte[] large = new byte[RequestBody.PREFETCH * 3];
        large[large.length - 1] = 7;
        RequestBody body = RequestBody.read(new ByteArrayInputStream(large), large.length, false);
        assertEquals(RequestBody.PREFETCH, body.prefetched());
        assertArrayEquals(large, body.stdin(s -> s).readAllBytes());
    }

    @Test
    void aFailedReadDuringTheRunIsRememberedAsTheClients() throws IOException {
        IOException timeout = new IOException(new SocketTimeoutException("read timed out"));
        InputStream failing = new InputStream() {
            private boolean first = true;

            @Override
            public int read() throws IOException {
                if (first) {
                    first = false;
                    return 'a';
                }
                throw timeout;
            }

            @Override
            public int available() {
                return 0;
            }
        };
        RequestBody body = RequestBody.read(failing, -1, true);
        InputStream stdin = body.stdin(s -> s);
        assertEquals('a', stdin.read());
        assertThrows(IOException.class, stdin::read);
        assertSame(timeout, body.failure());
        assertEquals(408, RequestBody.status(body.failure()));
    }

    @Test
    void timeoutsAre408AndOtherFailures400() {
        assertEquals(408, RequestBody.status(new SocketTimeoutException()));
        assertEquals(408, RequestBody.status(new IOException(new TimeoutException("Idle timeout expired"))));
        assertEquals(400, RequestBody.status(new IOException("Connection reset")));
    }

    private static final class Counting extends FilterInputStream {
        int reads;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads++;
            return super.read(b, off, len);
        }

        @Override
        public int read() throws IOException {
            reads++;
            return super.read();
        }
    }
}
