package dev.wagiservlet.cgi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The stream a module writes its standard output to. It collects the CGI header block as it
 * arrives (lines may end in LF or CRLF, and may come one byte at a time), hands the parsed head to
 * the {@link Sink} as soon as the blank line is seen, and from then on passes every write straight
 * through as body, byte-exact, so the client sees each chunk when the module writes it.
 */
public final class CgiStdout extends OutputStream {

    /** Where the response goes. */
    public interface Sink {
        /** Called once, when the header block is complete (or too large to be one). */
        void head(CgiResponseHead head) throws IOException;

        /** Called for every chunk of body after the head. */
        void body(byte[] bytes, int offset, int length) throws IOException;
    }

    private final Sink sink;
    private final int maxHeaderBytes;
    private byte[] header = new byte[256];
    private int headerLength;
    private boolean lastWasNewline;
    private boolean inBody;
    private boolean discarding;

    /**
     * @param sink receives the head and the body
     * @param maxHeaderBytes a header block larger than this is answered with 502
     */
    public CgiStdout(Sink sink, int maxHeaderBytes) {
        this.sink = sink;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (discarding) {
            return; // after an oversized header block: nothing of this output is sent
        }
        if (inBody) {
            if (length > 0) {
                sink.body(bytes, offset, length);
            }
            return;
        }
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == '\r') {
                continue;
            }
            if (b == '\n' && lastWasNewline) {
                inBody = true;
                sink.head(CgiResponseParser.parse(header, headerLength));
                header = null;
                if (i + 1 < end) {
                    sink.body(bytes, i + 1, end - i - 1);
                }
                return;
            }
            lastWasNewline = b == '\n';
            if (headerLength == maxHeaderBytes) {
                inBody = true;
                discarding = true;
                header = null;
                sink.head(CgiResponseHead.failure(502,
                        "The module's CGI header block is larger than " + maxHeaderBytes + " bytes", List.of()));
                return;
            }
            if (headerLength == header.length) {
                header = Arrays.copyOf(header, (int) Math.min(header.length * 2L, maxHeaderBytes));
            }
            header[headerLength++] = b;
        }
    }

    /** Whether the header block has ended (with a blank line, or by being too large). */
    public boolean headComplete() {
        return inBody;
    }

    /** Module output is closed by the engine at most; the response itself stays open. */
    @Override
    public void close() {}
}
