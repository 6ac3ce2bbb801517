package dev.wagiservlet.cgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of the CGI stdout parser ({@link CgiStdout} and {@link CgiResponseParser}) with jqwik:
 * arbitrary module output (every byte value, CR/LF mixes, huge lines, invalid UTF-8, header-like
 * text) written in arbitrary chunks, compared with a whole-buffer model written from the
 * reference's §6, and checked for properties that must hold whatever the output.
 *
 * <p>The model: the header part ends at the first LF that follows another LF once CRs are dropped
 * (in the raw bytes: the first match of {@code \n\r*\n}); the header block is everything before
 * that second LF without its CRs (so it includes the first LF), and must be at most
 * {@code maxHeaderBytes} long, else the head is a 502; the body is every byte after the second LF,
 * byte-exact. The block is interpreted as the reference does, with this project's documented
 * choices: explicit Status wins over Location's 302, repeated headers are kept in order, hop-by-hop
 * headers, invalid names and values with control characters are skipped, control characters in
 * Content-Type, Location or Status give 502.
 *
 * <p>Budget: every property has a bounded number of tries (1000 to 1500) so the
 * class runs in a few seconds inside {@code mvn test}. Failing samples found by the properties are
 * kept at the end as {@code @Example} regression tests.
 */
class CgiStdoutProperties {

    private static final int DEFAULT_CAP = 64 * 1024;

    // =============================================================================================
    // Properties
    // =============================================================================================

    /**
     * (a) nothing escapes, (c) the body is exactly the bytes after the first blank line, and the
     * head is what the whole-buffer model says, for arbitrary output, cap and chunking.
     */
    @Property(tries = 1500)
    void agreesWithTheWholeBufferModel(@ForAll("outputs") byte[] output, @ForAll("caps") int cap,
            @ForAll("chunkings") Chunking chunking) throws IOException {
        Expected expected = model(output, cap);
        Run run = Run.of(output, cap, chunking);
        Statistics.label("outcome").collect(expected.kind());
        Statistics.label("outcome").coverage(c -> {
            c.check("valid").percentage(p -> p > 10);
            c.check("error 500").percentage(p -> p > 3);
            c.check("error 502").percentage(p -> p > 1);
            c.check("no blank line").percentage(p -> p > 2);
            c.check("overflow").percentage(p -> p > 1);
        });

        assertEquals(expected.headComplete(), run.headComplete(), "headComplete");
        if (!expected.headComplete()) {
            assertEquals(0, run.headCalls(), "no head before the blank line");
            assertEquals(0, run.body().length, "no body before the blank line");
            return;
        }
        assertEquals(1, run.headCalls(), "exactly one head");
        assertHead(expected.head(), run.head());
        if (!expected.overflow()) {
            assertArrayEquals(expected.body(), run.body(), () -> "body; expected " + hex(expected.body()) + " got " + hex(run.body()));
        }
    }

    /**
     * (b) the result does not depend on how the output is cut into writes: the same head, the
     * same concatenated body and the same headComplete.
     * Since the fix for {@link #bodyAfterAnOversizedHeaderBlockDependsOnTheChunking()} this holds
     * for the body after an oversized header block too (there is none).
     */
    @Property(tries = 1000)
    void chunkingDoesNotMatter(@ForAll("outputs") byte[] output, @ForAll("caps") int cap,
            @ForAll("chunkings") Chunking first, @ForAll("chunkings") Chunking second) throws IOException {
        Run a = Run.of(output, cap, first);
        Run b = Run.of(output, cap, second);
        assertEquals(a.headComplete(), b.headComplete(), "headComplete");
        assertEquals(a.headCalls(), b.headCalls(), "head calls");
        if (a.head() != null) {
            assertEquals(a.head().status(), b.head().status(), "status");
            assertEquals(a.head().headers(), b.head().headers(), "headers");
            assertEquals(a.head().error(), b.head().error(), "error");
            assertEquals(a.head().warnings(), b.head().warnings(), "warnings");
        }
        assertArrayEquals(a.body(), b.body(), "body");
    }

    /**
     * (d) no response splitting: every header passed on has a token name and a value without CR,
     * LF, NUL, other C0 controls or DEL; no hop-by-hop header; at most one Content-Type and one
     * Location; no Content-Length (it is kept apart, as a number). (e) the status is 200..999 (a
     * 1xx cannot end a response), error heads are 500 or 502 and carry no headers.
     */
    @Property(tries = 1500)
    void headsAreAlwaysSafeToSend(@ForAll("outputs") byte[] output, @ForAll("caps") int cap,
            @ForAll("chunkings") Chunking chunking) throws IOException {
        Run run = Run.of(output, cap, chunking);
        if (run.head() != null) {
            assertSafe(run.head());
        }
    }

    /** The same, for the parser called directly on any bytes (and any length within them). */
    @Property(tries = 1500)
    void parserAloneNeverThrowsAndAgreesWithTheModel(@ForAll("outputs") byte[] block, @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        int length = block.length == 0 ? 0 : cut % (block.length + 1);
        CgiResponseHead head = CgiResponseParser.parse(block, length);
        assertSafe(head);
        assertHead(interpret(Arrays.copyOf(block, length)), head);
    }

    /**
     * (a) the only exceptions that leave the stream are the ones the Sink throws, also when the
     * module goes on writing after a failed write.
     */
    @Property(tries = 1000)
    void onlyTheSinksOwnExceptionsEscape(@ForAll("outputs") byte[] output, @ForAll("caps") int cap,
            @ForAll("chunkings") Chunking chunking, @ForAll @IntRange(min = 1, max = 6) int failAt,
            @ForAll boolean unchecked) {
        FailingSink sink = new FailingSink(failAt, unchecked);
        CgiStdout out = new CgiStdout(sink, cap);
        for (Write write : chunking.writes(output)) {
            try {
                write.to(out);
            } catch (Throwable t) {
                assertTrue(sink.thrown.contains(t), () -> "an exception the sink did not throw escaped: " + t);
            }
        }
        assertTrue(sink.headCalls <= 1, "head called more than once");
    }

    /**
     * (f) a well-formed header block round-trips: the non-special headers come out in order,
     * Content-Type and Location in front, Status wins over Location, Location alone gives 302,
     * none of the three gives 500; whatever the names' case, the line ends and the position of
     * the special lines; the body follows byte-exact.
     */
    @Property(tries = 1000)
    void wellFormedHeaderBlocksRoundTrip(@ForAll("wellFormedBlocks") Block block, @ForAll("bodies") byte[] body,
            @ForAll("chunkings") Chunking chunking) throws IOException {
        byte[] output = concat(block.bytes(), body);
        Run run = Run.of(output, DEFAULT_CAP, chunking);
        Statistics.label("specials").collect(block.status() != null, block.location() != null, block.contentType() != null);

        assertTrue(run.headComplete());
        assertEquals(1, run.headCalls());
        CgiResponseHead head = run.head();
        if (block.status() == null && block.location() == null && block.contentType() == null) {
            assertFalse(head.isValid());
            assertEquals(500, head.status());
        } else {
            assertTrue(head.isValid(), () -> "error: " + head.error());
            int expectedStatus = block.status() != null ? block.status() : block.location() != null ? 302 : 200;
            assertEquals(expectedStatus, head.status(), "status");
            List<Header> expectedHeaders = new ArrayList<>();
            if (block.contentType() != null) {
                expectedHeaders.add(new Header("Content-Type", block.contentType()));
            }
            if (block.location() != null) {
                expectedHeaders.add(new Header("Location", block.location()));
            }
            expectedHeaders.addAll(block.others());
            assertEquals(expectedHeaders, head.headers(), "headers");
        }
        assertArrayEquals(body, run.body(), "body");
    }

    /**
     * (g) the header cap: a block of n bytes (CRs not counted, the blank line's first LF counted)
     * is accepted when n &lt;= maxHeaderBytes and answered with 502 when it is larger, whatever
     * the chunking; output without a blank line gives 502 as soon as it passes the cap.
     */
    @Property(tries = 1000)
    void headerBlocksOverTheCapGive502(@ForAll("wellFormedBlocks") Block block, @ForAll @IntRange(min = -4, max = 4) int delta,
            @ForAll boolean dropTheBlankLine, @ForAll("chunkings") Chunking chunking) throws IOException {
        byte[] output = block.bytes();
        if (dropTheBlankLine) {
            output = Arrays.copyOf(output, output.length - block.blankLineLength());
        }
        int size = withoutCr(output, 0, output.length).length - (dropTheBlankLine ? 0 : 1);
        int cap = Math.max(0, size + delta);
        Run run = Run.of(output, cap, chunking);
        if (size > cap) {
            assertTrue(run.headComplete(), "over the cap: head sent");
            assertEquals(1, run.headCalls());
            assertEquals(502, run.head().status());
            assertFalse(run.head().isValid());
            assertTrue(run.head().error().orElseThrow().contains(Integer.toString(cap)), run.head().error().orElseThrow());
        } else if (dropTheBlankLine) {
            assertFalse(run.headComplete(), "within the cap, no blank line: still waiting");
            assertEquals(0, run.headCalls());
        } else {
            assertTrue(run.headComplete());
            assertEquals(1, run.headCalls());
            assertFalse(run.head().error().map(e -> e.contains("larger than")).orElse(false), () -> "within the cap but: " + run.head().error());
            assertHead(model(output, cap).head(), run.head());
        }
    }

    // =============================================================================================
    // Regression examples (samples the properties found, shrunk by jqwik)
    // =============================================================================================

    /**
     * Found by {@link #chunkingDoesNotMatter} (before it left the body after an overflow out):
     * when the header block passes the cap, CgiStdout sends the 502 head and drops the rest of
     * the write that passed it (CgiStdout.java, the {@code headerLength == maxHeaderBytes} branch
     * returns), but passes every later write on as body (CgiStdoutTest says so). So the body after
     * the 502 head depends on how the module cut its output.
     *
     * <p>jqwik's shrunk sample (seed 6703367079372581777): output {@code [10, 10]} ("\n\n"),
     * maxHeaderBytes 0, one write: 502 and no body; written as "\n" then "\n": 502 and body
     * "\n". The body of an error head is not sent to the client, but ServletResponseSink still
     * counts it against max_output_size, so whether the output limit trips after the 502 (and the
     * connection is then aborted) depends on the module's write sizes.
     *
     * <p>Fixed in CgiStdout: after an oversized header block every later write is dropped, so
     * nothing of such an output is passed on, however it is cut into writes.
     */
    @Example
    void bodyAfterAnOversizedHeaderBlockDependsOnTheChunking() throws IOException {
        byte[] output = latin1("\n\n");
        Run together = Run.of(output, 0, Chunking.of(WriteStyle.ARRAYS));
        Run apart = Run.of(output, 0, Chunking.of(WriteStyle.ARRAYS, 1));
        assertEquals(502, together.head().status());
        assertEquals(502, apart.head().status());
        assertArrayEquals(together.body(), apart.body(),
                "body after the 502 head: one write gave [" + hex(together.body()) + "], two writes gave [" + hex(apart.body()) + "]");
    }

    /** The same with a realistic cap: 100 bytes of header text against a 64-byte cap, in one write or two. */
    @Example
    void bodyAfterAnOversizedHeaderBlockDependsOnTheChunkingAtARealisticSize() throws IOException {
        byte[] output = latin1("X-Long: " + "v".repeat(92) + "\nContent-Type: text/plain\n\nbody");
        Run together = Run.of(output, 64, Chunking.of(WriteStyle.ARRAYS));
        Run apart = Run.of(output, 64, Chunking.of(WriteStyle.ARRAYS, 80));
        assertEquals(502, together.head().status());
        assertEquals(502, apart.head().status());
        assertArrayEquals(together.body(), apart.body(),
                "body after the 502 head: one write gave [" + hex(together.body()) + "], two writes gave [" + hex(apart.body()) + "]");
    }

    // =============================================================================================
    // The whole-buffer model (reference §6)
    // =============================================================================================

    /** What the model says the stream does with a whole output. */
    record Expected(boolean headComplete, boolean overflow, ModelHead head, byte[] body) {
        String kind() {
            if (!headComplete) {
                return "no blank line";
            }
            if (overflow) {
                return "overflow";
            }
            return head.error() ? "error " + head.status() : "valid";
        }
    }

    /** What the model says a header block means. */
    record ModelHead(int status, List<Header> headers, boolean error) {
        static ModelHead failure(int status) {
            return new ModelHead(status, List.of(), true);
        }
    }

    private static final Pattern BLANK_LINE = Pattern.compile("\n\r*\n");

    static Expected model(byte[] output, int cap) {
        Matcher blank = BLANK_LINE.matcher(new String(output, StandardCharsets.ISO_8859_1));
        if (blank.find()) {
            byte[] block = withoutCr(output, 0, blank.start() + 1);
            if (block.length > cap) {
                return new Expected(true, true, ModelHead.failure(502), null);
            }
            return new Expected(true, false, interpret(block), Arrays.copyOfRange(output, blank.end(), output.length));
        }
        if (withoutCr(output, 0, output.length).length > cap) {
            return new Expected(true, true, ModelHead.failure(502), null);
        }
        return new Expected(false, false, null, new byte[0]);
    }

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0A-\\x1F\\x7F]");
    private static final Pattern STATUS = Pattern.compile("([0-9]{3})(?: .*)?", Pattern.DOTALL);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade", "trailer", "te");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,18}");

    /** A header block (CRs removed) as the reference reads it, with this project's choices. */
    static ModelHead interpret(byte[] block) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(block)).toString();
        } catch (CharacterCodingException e) {
            return ModelHead.failure(500);
        }
        String contentType = null;
        String location = null;
        String status = null;
        List<String> contentLengths = new ArrayList<>();
        List<Header> others = new ArrayList<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type")) {
                contentType = value;
            } else if (lower.equals("location")) {
                location = value;
            } else if (lower.equals("status")) {
                status = value;
            } else if (lower.equals("content-length")) {
                contentLengths.add(value);
            } else if (TOKEN.matcher(name).matches() && !HOP_BY_HOP.contains(lower) && !CONTROL.matcher(value).find()) {
                others.add(new Header(name, value));
            }
        }
        for (String special : Arrays.asList(contentType, location, status)) {
            if (special != null && CONTROL.matcher(special).find()) {
                return ModelHead.failure(502);
            }
        }
        if (contentType == null && location == null && status == null) {
            return ModelHead.failure(500);
        }
        int code = location != null ? 302 : 200;
        if (status != null) {
            Matcher m = STATUS.matcher(status);
            if (!m.matches() || Integer.parseInt(m.group(1)) < 200) {
                return ModelHead.failure(502);
            }
            code = Integer.parseInt(m.group(1));
        }
        if (!contentLengths.isEmpty()) {
            Set<String> values = new HashSet<>();
            for (String value : contentLengths) {
                for (String part : value.split(",", -1)) {
                    values.add(DECIMAL.matcher(part.strip()).matches() ? Long.toString(Long.parseLong(part.strip())) : "bad");
                }
            }
            if (values.size() != 1 || values.contains("bad")) {
                return ModelHead.failure(502);
            }
        }
        List<Header> headers = new ArrayList<>();
        if (contentType != null) {
            headers.add(new Header("Content-Type", contentType));
        }
        if (location != null) {
            headers.add(new Header("Location", location));
        }
        headers.addAll(others);
        return new ModelHead(code, headers, false);
    }

    private static void assertHead(ModelHead expected, CgiResponseHead actual) {
        assertNotNull(actual, "head");
        assertEquals(expected.error(), !actual.isValid(), () -> "error? " + actual.error());
        assertEquals(expected.status(), actual.status(), () -> "status; error " + actual.error());
        assertEquals(expected.headers(), actual.headers(), "headers");
    }

    private static void assertSafe(CgiResponseHead head) {
        assertTrue(head.status() >= 200 && head.status() <= 999, () -> "status " + head.status());
        if (!head.isValid()) {
            assertTrue(head.status() == 500 || head.status() == 502, () -> "error status " + head.status());
            assertEquals(List.of(), head.headers(), "an error head has no headers");
            return;
        }
        int contentTypes = 0;
        int locations = 0;
        for (Header header : head.headers()) {
            assertTrue(TOKEN.matcher(header.name()).matches(), () -> "header name is not a token: " + escape(header.name()));
            assertFalse(CONTROL.matcher(header.value()).find(),
                    () -> "control character in the value of " + header.name() + ": " + escape(header.value()));
            assertFalse(HOP_BY_HOP.contains(header.name().toLowerCase(Locale.ROOT)), () -> "hop-by-hop header " + header.name());
            assertFalse(header.name().equalsIgnoreCase("Content-Length"), "Content-Length is never passed on as a header");
            contentTypes += header.name().equalsIgnoreCase("Content-Type") ? 1 : 0;
            locations += header.name().equalsIgnoreCase("Location") ? 1 : 0;
        }
        assertTrue(contentTypes <= 1, "at most one Content-Type");
        assertTrue(locations <= 1, "at most one Location");
    }

    // =============================================================================================
    // Running the stream
    // =============================================================================================

    enum WriteStyle { ARRAYS, PADDED_ARRAYS, SINGLE_BYTES, MIXED }

    /** One write call. */
    interface Write {
        void to(CgiStdout out) throws IOException;
    }

    /** How an output is cut into writes: cut points (taken modulo the length) and the kind of write. */
    record Chunking(WriteStyle style, List<Integer> cuts) {
        static Chunking of(WriteStyle style, Integer... cuts) {
            return new Chunking(style, List.of(cuts));
        }

        List<Write> writes(byte[] output) {
            int[] points = new int[cuts.size() + 2];
            for (int i = 0; i < cuts.size(); i++) {
                points[i] = Math.floorMod(cuts.get(i), output.length + 1);
            }
            points[cuts.size()] = 0;
            points[cuts.size() + 1] = output.length;
            Arrays.sort(points);
            List<Write> writes = new ArrayList<>();
            for (int i = 0; i + 1 < points.length; i++) {
                int from = points[i];
                int to = points[i + 1];
                WriteStyle kind = style == WriteStyle.MIXED ? WriteStyle.values()[i % 3] : style;
                switch (kind) {
                    case ARRAYS -> writes.add(out -> out.write(Arrays.copyOfRange(output, from, to)));
                    case PADDED_ARRAYS -> writes.add(out -> {
                        // the bytes around the slice are line ends, so a stream reading past its slice would show
                        byte[] padded = new byte[to - from + 6];
                        Arrays.fill(padded, (byte) '\n');
                        System.arraycopy(output, from, padded, 3, to - from);
                        out.write(padded, 3, to - from);
                    });
                    default -> {
                        for (int j = from; j < to; j++) {
                            int b = output[j]; // sign-extended: write(int) must ignore the high bits
                            writes.add(out -> out.write(b));
                        }
                    }
                }
            }
            return writes;
        }

        @Override
        public String toString() {
            return style + " cuts " + cuts;
        }
    }

    /** What the stream did with one output written one way. */
    record Run(CgiResponseHead head, int headCalls, byte[] body, boolean headComplete) {
        static Run of(byte[] output, int cap, Chunking chunking) throws IOException {
            Recorder sink = new Recorder();
            CgiStdout out = new CgiStdout(sink, cap);
            for (Write write : chunking.writes(output)) {
                write.to(out);
            }
            out.flush();
            out.close();
            return new Run(sink.head, sink.headCalls, sink.body.toByteArray(), out.headComplete());
        }
    }

    /** Records what the stream hands on, and fails on any misuse of the Sink contract. */
    static class Recorder implements CgiStdout.Sink {
        CgiResponseHead head;
        int headCalls;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public void head(CgiResponseHead head) throws IOException {
            assertNotNull(head, "null head");
            assertEquals(0, headCalls, "head called twice");
            this.head = head;
            headCalls++;
        }

        @Override
        public void body(byte[] bytes, int offset, int length) throws IOException {
            assertNotNull(head, "body before head");
            assertTrue(length > 0, "empty body call");
            assertTrue(offset >= 0 && offset + length <= bytes.length, "offset/length out of range");
            body.write(bytes, offset, length);
        }
    }

    /** A sink whose n-th call throws. */
    static final class FailingSink extends Recorder {
        final List<Throwable> thrown = new ArrayList<>();
        private final int failAt;
        private final boolean unchecked;
        private int calls;

        FailingSink(int failAt, boolean unchecked) {
            this.failAt = failAt;
            this.unchecked = unchecked;
        }

        private void maybeFail() throws IOException {
            if (++calls == failAt) {
                Exception e = unchecked ? new IllegalStateException("sink failure " + calls) : new IOException("sink failure " + calls);
                thrown.add(e);
                if (unchecked) {
                    throw (IllegalStateException) e;
                }
                throw (IOException) e;
            }
        }

        @Override
        public void head(CgiResponseHead head) throws IOException {
            if (head == null) {
                fail("null head");
            }
            headCalls++;
            this.head = head;
            maybeFail();
        }

        @Override
        public void body(byte[] bytes, int offset, int length) throws IOException {
            assertNotNull(head, "body before head");
            assertTrue(length > 0, "empty body call");
            assertTrue(offset >= 0 && offset + length <= bytes.length, "offset/length out of range");
            maybeFail();
        }
    }

    // =============================================================================================
    // Generators
    // =============================================================================================

    private static final byte[] ALL_BYTES = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ALL_BYTES[i] = (byte) i;
        }
    }

    /** Bits of header-like text, line ends, controls and broken UTF-8. */
    private static final List<byte[]> FRAGMENTS = List.of(
            latin1("\n"), latin1("\r"), latin1("\r\n"), latin1("\n\n"), latin1("\r\n\r\n"), latin1("\n\r\n"), latin1("\n\r\r\n"),
            latin1(":"), latin1(": "), latin1(" "), latin1("\t"), latin1("\u0000"), latin1("\u007f"), latin1("\u001f"), latin1("\u000b"),
            latin1("\u000c"), latin1("Content-Type"), latin1("content-type: text/plain"), latin1("Content-Type: text/html\n"),
            latin1("Status"), latin1("Status: 404 Not Found\n"), latin1("status: 099"), latin1("STATUS: 1000"), latin1("Status: 2x0"),
            latin1("Status: 201"), latin1("Status: 101"), latin1("Status:"), latin1("Content-Length: 6\n"), latin1("content-length:-1"),
            latin1("Content-Length: 6, 7\n"), latin1("Location"), latin1("Location: /x\n"), latin1("location:http://h/p?q=1"),
            latin1("X-A: 1\n"), latin1("X-A"), latin1("Set-Cookie: a=b\n"), latin1("Connection: close\n"), latin1("Transfer-Encoding: chunked\n"),
            latin1("X A: b\n"), latin1("X-\"q\": v\n"), latin1("X-Q:\"v\""), latin1(": no name\n"), latin1("no colon\n"),
            utf8("X-U: \u00e9\u65e5\u672c\u2028\n"), utf8("\u00a0"), utf8("\u0085"), utf8("\u2003"), utf8("\ufeff"), utf8("\u010a"),
            utf8("X-S: a\u010ab\n"), utf8("\ud83d\ude00"),
            bytes(0xC3, 0x28), bytes(0xFF), bytes(0x80), bytes(0xED, 0xA0, 0x80), bytes(0xC0, 0x8A), bytes(0xE2, 0x80),
            bytes(0xF4, 0x90, 0x80, 0x80));

    @Provide
    Arbitrary<byte[]> outputs() {
        Arbitrary<byte[]> headerLines = Combinators.combine(
                Arbitraries.strings().withChars("Content-TypeStatusLocationX-a ").ofMaxLength(14),
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.of("\n", "\r\n", "", "\r"))
                .as((name, value, end) -> utf8(name + ": " + value + end));
        Arbitrary<byte[]> hugeLines = Combinators.combine(
                Arbitraries.integers().between(200, 6000), Arbitraries.of("X-Big: ", "", "Status: "), Arbitraries.of("\n", "\r\n", ""))
                .as((n, start, end) -> latin1(start + "v".repeat(n) + end));
        Arbitrary<byte[]> fragment = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of(FRAGMENTS)),
                Tuple.of(4, Arbitraries.bytes().array(byte[].class).ofMaxSize(6)),
                Tuple.of(4, headerLines),
                Tuple.of(1, hugeLines),
                Tuple.of(1, Arbitraries.just(ALL_BYTES)));
        Arbitrary<byte[]> soup = fragment.list().ofMaxSize(30).map(CgiStdoutProperties::concat);
        Arbitrary<byte[]> headThenSoup = Combinators.combine(wellFormedBlocks(), soup).as((block, rest) -> concat(block.bytes(), rest));
        // a Content-Type, Location or Status line that is bad in itself, within a well-formed block
        Arbitrary<byte[]> badSpecial = Combinators.combine(
                Arbitraries.of("Status", "status", "Content-Type", "Location", "Content-Length"),
                Arbitraries.of("2x0", "99", "099", "1000", "", "abc", "200\u0001", "20", "\u0662\u0660\u0660", "200\u000bOK", "a\u0000b",
                        "x\u007f", "200\u00a0OK", "+20", "-20", "100 Continue", "5, 6"),
                wellFormedBlocks(), soup)
                .as((name, value, block, rest) -> concat(utf8(name + ": " + value + "\n"), block.bytes(), rest));
        return Arbitraries.frequencyOf(
                Tuple.of(5, soup),
                Tuple.of(3, headThenSoup),
                Tuple.of(3, badSpecial),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(400)));
    }

    @Provide
    Arbitrary<Integer> caps() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(DEFAULT_CAP)),
                Tuple.of(3, Arbitraries.integers().between(0, 300)),
                Tuple.of(1, Arbitraries.integers().between(0, 8000)));
    }

    @Provide
    Arbitrary<Chunking> chunkings() {
        return Combinators.combine(Arbitraries.of(WriteStyle.class), Arbitraries.integers().between(0, 100_000).list().ofMaxSize(12))
                .as(Chunking::new);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.of(FRAGMENTS).list().ofMaxSize(10).map(CgiStdoutProperties::concat),
                Arbitraries.just(ALL_BYTES));
    }

    /**
     * A well-formed header block: the generated pieces, and the block as bytes.
     *
     * @param status the Status code given, or null
     * @param location the Location given, or null
     * @param contentType the Content-Type given, or null
     * @param others the other headers, in order
     * @param blankLineLength 1 (LF) or 2 (CRLF): the blank line's bytes at the end of {@code bytes}
     */
    record Block(byte[] bytes, Integer status, String location, String contentType, List<Header> others, int blankLineLength) {
        @Override
        public String toString() {
            return escape(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static final List<String> SPECIAL_OR_HOP = List.of("content-type", "location", "status", "connection", "keep-alive",
            "transfer-encoding", "upgrade", "trailer", "te");

    @Provide
    Arbitrary<Block> wellFormedBlocks() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcxyzABCXYZ019-_.!#$%&'*+^`|~").ofMinLength(1).ofMaxLength(12)
                .filter(n -> !SPECIAL_OR_HOP.contains(n.toLowerCase(Locale.ROOT)));
        Arbitrary<String> values = Arbitraries.strings()
                .withCharRange(' ', '~').withChars('\t', '\u00e9', '\u20ac', '\u65e5', '\u00a0')
                .ofMaxLength(30).map(String::strip);
        Arbitrary<List<Header>> others = Combinators.combine(names, values).as(Header::new).list().ofMaxSize(8);
        Arbitrary<Optional<String>> statuses = Arbitraries.oneOf(
                Arbitraries.integers().between(200, 999).map(Object::toString),
                Combinators.combine(Arbitraries.integers().between(200, 999), values.filter(v -> !v.isEmpty()))
                        .as((code, reason) -> code + " " + reason))
                .optional(0.5);
        Arbitrary<Optional<String>> locations = Arbitraries.of("/", "/next", "http://example.com:8080/a?b=c#d", "https://x/\u00e9")
                .optional(0.4);
        Arbitrary<Optional<String>> contentTypes = Arbitraries.of("text/plain", "text/html; charset=utf-8", "application/octet-stream", "")
                .optional(0.6);
        Arbitrary<String> statusNames = Arbitraries.of("Status", "status", "STATUS", "sTaTuS");
        Arbitrary<String> locationNames = Arbitraries.of("Location", "location", "LOCATION");
        Arbitrary<String> contentTypeNames = Arbitraries.of("Content-Type", "content-type", "CONTENT-TYPE", "Content-type");
        Arbitrary<List<Integer>> layout = Arbitraries.integers().between(0, 1000).list().ofSize(3 + 12 + 12);
        return Combinators.combine(others, statuses, locations, contentTypes, statusNames, locationNames, contentTypeNames, layout)
                .as(CgiStdoutProperties::block);
    }

    /** Lays the lines out: specials at positions taken from {@code layout}, line ends and spacing from it too. */
    private static Block block(List<Header> others, Optional<String> status, Optional<String> location, Optional<String> contentType,
            String statusName, String locationName, String contentTypeName, List<Integer> layout) {
        List<String[]> lines = new ArrayList<>();
        for (Header h : others) {
            lines.add(new String[] {h.name(), h.value()});
        }
        String[][] specials = {
            status.map(v -> new String[] {statusName, v}).orElse(null),
            location.map(v -> new String[] {locationName, v}).orElse(null),
            contentType.map(v -> new String[] {contentTypeName, v}).orElse(null)};
        for (int i = 0; i < 3; i++) {
            if (specials[i] != null) {
                lines.add(layout.get(i) % (lines.size() + 1), specials[i]);
            }
        }
        StringBuilder text = new StringBuilder();
        if (lines.isEmpty()) {
            text.append('\n'); // a lone blank line is not a terminator (it needs an LF before it): an empty block
        }
        for (int i = 0; i < lines.size(); i++) {
            int style = layout.get(3 + (i % 12));
            String colon = switch (style % 4) {
                case 0 -> ":";
                case 1 -> ": ";
                case 2 -> ":  ";
                default -> ":\t";
            };
            String end = (style / 4) % 2 == 0 ? "\n" : "\r\n";
            text.append(lines.get(i)[0]).append(colon).append(lines.get(i)[1]).append(end);
        }
        String blank = layout.get(15) % 2 == 0 ? "\n" : "\r\n";
        text.append(blank);
        return new Block(utf8(text.toString()), status.map(s -> Integer.parseInt(s.substring(0, 3))).orElse(null),
                location.orElse(null), contentType.orElse(null), others, blank.length());
    }

    // =============================================================================================
    // Helpers
    // =============================================================================================

    static byte[] withoutCr(byte[] bytes, int from, int to) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            if (bytes[i] != '\r') {
                kept.write(bytes[i]);
            }
        }
        return kept.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        return concat(Arrays.asList(parts));
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static String hex(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        String all = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64));
        return bytes.length > 64 ? all + "... (" + bytes.length + " bytes)" : all;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
