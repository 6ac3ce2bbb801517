package dev.wagiservlet.cgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CgiStdoutTest {

    /** Records every call the stream makes, with copies of the bytes it was handed. */
    static final class RecordingSink implements CgiStdout.Sink {
        final List<String> calls = new ArrayList<>();
        final List<byte[]> bodyChunks = new ArrayList<>();
        CgiResponseHead head;
        int headCalls;

        @Override
        public void head(CgiResponseHead head) {
            this.head = head;
            headCalls++;
            calls.add("head " + head.status());
        }

        @Override
        public void body(byte[] bytes, int offset, int length) {
            assertTrue(length > 0, "empty body call");
            assertTrue(offset >= 0 && offset + length <= bytes.length, "offset/length out of range");
            bodyChunks.add(Arrays.copyOfRange(bytes, offset, offset + length));
            calls.add("body " + length);
        }

        byte[] body() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            bodyChunks.forEach(all::writeBytes);
            return all.toByteArray();
        }

        String bodyText() {
            return new String(body(), StandardCharsets.ISO_8859_1);
        }
    }

    private static final int CAP = 64 * 1024;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Header h(String name, String value) {
        return new Header(name, value);
    }

    private static RecordingSink writeAtOnce(String output) throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        out.write(bytes(output));
        return sink;
    }

    @Test
    void lfHeaderBlock() throws IOException {
        RecordingSink sink = writeAtOnce("Content-Type: text/plain\n\nHello, world!\n");
        assertEquals(1, sink.headCalls);
        assertEquals(200, sink.head.status());
        assertEquals(List.of(h("Content-Type", "text/plain")), sink.head.headers());
        assertEquals("Hello, world!\n", sink.bodyText());
        assertEquals(List.of("head 200", "body 14"), sink.calls);
    }

    @Test
    void crlfHeaderBlockKeepsBodyCarriageReturns() throws IOException {
        RecordingSink sink = writeAtOnce("Content-Type: text/plain\r\n\r\nOh hi world\r\n");
        assertEquals(200, sink.head.status());
        assertEquals(List.of(h("Content-Type", "text/plain")), sink.head.headers());
        assertEquals("Oh hi world\r\n", sink.bodyText());
    }

    @Test
    void mixedLineEndings() throws IOException {
        RecordingSink sink = writeAtOnce("Content-Type: text/plain\nX-A: 1\r\n\r\nbody\r\n\r\nmore");
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X-A", "1")), sink.head.headers());
        assertEquals("body\r\n\r\nmore", sink.bodyText());

        RecordingSink lfCrlf = writeAtOnce("Content-Type: text/plain\n\r\nx");
        assertEquals(200, lfCrlf.head.status());
        assertEquals("x", lfCrlf.bodyText());
    }

    @Test
    void blankLineAtStartEndsAnEmptyBlock() throws IOException {
        RecordingSink sink = writeAtOnce("\n\nbody");
        assertEquals(500, sink.head.status());
        assertEquals(Optional.of(CgiResponseParser.NO_CONTENT_TYPE), sink.head.error());
        assertEquals("body", sink.bodyText());
    }

    @Test
    void headWithoutBody() throws IOException {
        RecordingSink sink = writeAtOnce("Location: http://example.com/elsewhere\n\n");
        assertEquals(302, sink.head.status());
        assertEquals(List.of("head 302"), sink.calls);
        assertEquals(0, sink.body().length);
    }

    @Test
    void bodyBlankLinesAreNotHeaderEnds() throws IOException {
        RecordingSink sink = writeAtOnce("Content-Type: text/plain\n\n\n\nStatus: 500\n\n");
        assertEquals(200, sink.head.status());
        assertEquals(1, sink.headCalls);
        assertEquals("\n\nStatus: 500\n\n", sink.bodyText());
    }

    @Test
    void everySplitIntoTwoWritesGivesTheSameResult() throws IOException {
        String output = "Content-Type: text/plain\r\nX-A: 1\r\nSet-Cookie: a=1\r\n\r\nbody\r\nline 2\n";
        byte[] all = bytes(output);
        for (int split = 0; split <= all.length; split++) {
            RecordingSink sink = new RecordingSink();
            CgiStdout out = new CgiStdout(sink, CAP);
            out.write(all, 0, split);
            out.write(all, split, all.length - split);
            assertEquals(1, sink.headCalls, "split at " + split);
            assertEquals(List.of(h("Content-Type", "text/plain"), h("X-A", "1"), h("Set-Cookie", "a=1")),
                    sink.head.headers(), "split at " + split);
            assertEquals("body\r\nline 2\n", sink.bodyText(), "split at " + split);
        }
    }

    @Test
    void everySplitIntoThreeWritesGivesTheSameResult() throws IOException {
        byte[] all = bytes("Status: 201 Created\nContent-Type: a/b\n\nxyz");
        for (int a = 0; a <= all.length; a++) {
            for (int b = a; b <= all.length; b++) {
                RecordingSink sink = new RecordingSink();
                CgiStdout out = new CgiStdout(sink, CAP);
                out.write(all, 0, a);
                out.write(all, a, b - a);
                out.write(all, b, all.length - b);
                String where = "splits at " + a + ", " + b;
                assertEquals(1, sink.headCalls, where);
                assertEquals(201, sink.head.status(), where);
                assertEquals("xyz", sink.bodyText(), where);
            }
        }
    }

    @Test
    void oneBytePerWrite() throws IOException {
        // what the split-headers module does: 40 writes of one byte each
        byte[] all = bytes("Content-Type: text/plain\r\nX-A: 1\r\n\r\nbody");
        assertEquals(40, all.length);
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        for (byte b : all) {
            out.write(new byte[] {b});
        }
        assertEquals(1, sink.headCalls);
        assertEquals(List.of(h("Content-Type", "text/plain"), h("X-A", "1")), sink.head.headers());
        assertEquals("body", sink.bodyText());
        assertEquals(List.of("head 200", "body 1", "body 1", "body 1", "body 1"), sink.calls);
    }

    @Test
    void oneBytePerWriteWithWriteInt() throws IOException {
        byte[] all = bytes("Content-Type: text/plain\n\n\u00ff\r\u0000");
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        for (byte b : all) {
            out.write(b & 0xff);
        }
        assertEquals(200, sink.head.status());
        assertArrayEquals(new byte[] {(byte) 0xff, '\r', 0}, sink.body());
    }

    @Test
    void splitBetweenTheTwoNewlines() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        out.write(bytes("Content-Type: text/plain\n"));
        assertFalse(out.headComplete());
        assertEquals(0, sink.headCalls);
        out.write(bytes("\nbody"));
        assertTrue(out.headComplete());
        assertEquals(List.of("head 200", "body 4"), sink.calls);
        assertEquals("body", sink.bodyText());
    }

    @Test
    void splitBetweenCrlfPairs() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        out.write(bytes("Content-Type: text/plain\r"));
        out.write(bytes("\n\r"));
        assertEquals(0, sink.headCalls);
        out.write(bytes("\n"));
        assertEquals(1, sink.headCalls);
        out.write(bytes("\r\nbody"));
        assertEquals("\r\nbody", sink.bodyText());
    }

    @Test
    void carriageReturnBetweenNewlinesInHeaderDoesNotBreakBlankLineDetection() throws IOException {
        RecordingSink sink = writeAtOnce("Content-Type: text/plain\n\r\r\nbody");
        assertEquals(200, sink.head.status());
        assertEquals("body", sink.bodyText());
    }

    @Test
    void allByteValuesInTheBodyAreByteExact() throws IOException {
        byte[] body = new byte[256 * 4];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        byte[] head = bytes("Content-Type: application/octet-stream\r\n\r\n");
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);

        RecordingSink together = new RecordingSink();
        new CgiStdout(together, CAP).write(all);
        assertArrayEquals(body, together.body());
        assertEquals(1, together.bodyChunks.size());

        RecordingSink separate = new RecordingSink();
        CgiStdout out = new CgiStdout(separate, CAP);
        out.write(head);
        out.write(body, 0, 300);
        out.write(body, 300, body.length - 300);
        assertArrayEquals(body, separate.body());
    }

    @Test
    void bodyIsPassedThroughChunkByChunkInTheSameWriteCall() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        out.write(bytes("Content-Type: text/plain\n\nfirst\n"));
        assertEquals(List.of("head 200", "body 6"), sink.calls);
        assertEquals("first\n", sink.bodyText());

        byte[] big = new byte[70_000];
        Arrays.fill(big, (byte) 'x');
        out.write(big);
        assertEquals(List.of("head 200", "body 6", "body 70000"), sink.calls);

        out.write(bytes("last\n"));
        assertEquals(List.of("head 200", "body 6", "body 70000", "body 5"), sink.calls);
        assertArrayEquals(bytes("last\n"), sink.bodyChunks.get(2));
    }

    @Test
    void bodyWriteHonoursOffsetAndLength() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        out.write(bytes("Content-Type: text/plain\n\n"));
        out.write(bytes("0123456789"), 3, 4);
        assertEquals("3456", sink.bodyText());
    }

    @Test
    void headerWriteHonoursOffsetAndLength() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        byte[] buffer = bytes("GARBAGEContent-Type: text/plain\n\nbodyTRAILING");
        out.write(buffer, 7, buffer.length - 7 - "TRAILING".length());
        assertEquals(List.of(h("Content-Type", "text/plain")), sink.head.headers());
        assertEquals("body", sink.bodyText());
    }

    @Test
    void emptyWritesCallNothing() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        out.write(new byte[0]);
        assertEquals(List.of(), sink.calls);
        out.write(bytes("Content-Type: text/plain\n\n"));
        out.write(new byte[0]);
        out.write(new byte[10], 5, 0);
        assertEquals(List.of("head 200"), sink.calls);
    }

    @Test
    void headCompleteFalseWhenNoBlankLineEverCame() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        assertFalse(out.headComplete());
        out.write(bytes("Content-Type: text/plain\nthis never ends the header block"));
        out.flush();
        out.close();
        assertFalse(out.headComplete());
        assertEquals(0, sink.headCalls);
        assertNull(sink.head);
        assertEquals(List.of(), sink.calls);
    }

    @Test
    void headCompleteTrueAfterBlankLine() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        out.write(bytes("Status: 204 No Content\n\n"));
        assertTrue(out.headComplete());
        assertEquals(204, sink.head.status());
    }

    @Test
    void statusAndLocationFromTheStream() throws IOException {
        RecordingSink sink = writeAtOnce("Location: http://example.com/created\nStatus: 201 Created\nContent-Type: text/plain\n\ncreated\n");
        assertEquals(201, sink.head.status());
        assertEquals("created\n", sink.bodyText());
    }

    @Test
    void nonUtf8HeaderBlockGives500Head() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        out.write(new byte[] {'X', '-', 'A', ':', ' ', (byte) 0xc3, (byte) 0x28, '\n', '\n', 'b'});
        assertEquals(500, sink.head.status());
        assertFalse(sink.head.isValid());
        assertArrayEquals(new byte[] {'b'}, sink.body());
    }

    @Test
    void headerBlockLargerThanTheCapGives502AndLaterWritesAreDropped() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, 64);
        byte[] header = new byte[100];
        Arrays.fill(header, (byte) 'a');
        out.write(header);
        assertTrue(out.headComplete());
        assertEquals(1, sink.headCalls);
        assertEquals(502, sink.head.status());
        assertFalse(sink.head.isValid());
        assertTrue(sink.head.error().orElseThrow().contains("64"), sink.head.error().orElseThrow());

        out.write(bytes("Content-Type: text/plain\n\nlater"));
        assertEquals(1, sink.headCalls);
        assertEquals(0, sink.bodyChunks.size(), "nothing of an output with an oversized header block is passed on");
    }

    @Test
    void capIsReachedByBytesWrittenOneAtATime() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, 300);
        for (int i = 0; i < 300; i++) {
            out.write('h');
            assertEquals(0, sink.headCalls, "byte " + i);
        }
        out.write('h');
        assertEquals(1, sink.headCalls);
        assertEquals(502, sink.head.status());
    }

    @Test
    void headerBlockExactlyAtTheCapIsAccepted() throws IOException {
        String block = "Content-Type: text/plain\n"; // 25 bytes kept; the blank line's LF is not stored
        assertEquals(25, block.length());
        RecordingSink atCap = new RecordingSink();
        new CgiStdout(atCap, 25).write(bytes(block + "\nok"));
        assertEquals(200, atCap.head.status());
        assertEquals("ok", atCap.bodyText());

        RecordingSink overCap = new RecordingSink();
        new CgiStdout(overCap, 24).write(bytes(block + "\nok"));
        assertEquals(502, overCap.head.status());
    }

    @Test
    void carriageReturnsDoNotCountAgainstTheCap() throws IOException {
        RecordingSink sink = new RecordingSink();
        new CgiStdout(sink, 25).write(bytes("Content-Type: text/plain\r\n\r\nok"));
        assertEquals(200, sink.head.status());
        assertEquals("ok", sink.bodyText());
    }

    @Test
    void largeHeaderBlockBelowTheCapGrowsTheBuffer() throws IOException {
        StringBuilder block = new StringBuilder("Content-Type: text/plain\n");
        for (int i = 0; i < 200; i++) {
            block.append("X-H").append(i).append(": ").append("v".repeat(20)).append('\n');
        }
        RecordingSink sink = writeAtOnce(block + "\nbody");
        assertTrue(sink.head.isValid());
        assertEquals(201, sink.head.headers().size());
        assertEquals(h("X-H199", "v".repeat(20)), sink.head.headers().get(200));
        assertEquals("body", sink.bodyText());
    }

    @Test
    void closeLeavesTheStreamUsable() throws IOException {
        RecordingSink sink = new RecordingSink();
        CgiStdout out = new CgiStdout(sink, CAP);
        out.write(bytes("Content-Type: text/plain\n\na"));
        out.close();
        out.write(bytes("b"));
        assertEquals("ab", sink.bodyText());
        assertNotNull(sink.head);
    }
}
