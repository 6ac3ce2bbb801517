package dev.wagiservlet.core;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * A request body as a module's stdin. Its start is read before the run is admitted: all of a body
 * of at most {@link #PREFETCH} bytes, else what the client has sent so far (at least one read, up
 * to {@link #PREFETCH}). A client that sends headers and then nothing so holds a container thread
 * until the container's own read timeout, but never a module slot or module memory; a streaming
 * client still reaches its module with its first bytes.
 *
 * <p>A read of the container's stream that fails (the client went away, or the container's read
 * timeout ended it) is remembered: WASI only tells the module {@code EIO}, and the request then
 * ends as the client's failure ({@link #status}), whatever the module made of it.
 */
final class RequestBody {

    /** Bytes read before admission at most. */
    static final int PREFETCH = 64 * 1024;

    private final byte[] start;
    private final boolean complete;
    private final InputStream rest;
    private volatile IOException failure;

    private RequestBody(byte[] start, boolean complete, InputStream rest) {
        this.start = start;
        this.complete = complete;
        this.rest = rest;
    }

    /**
     * Reads the start of the body.
     *
     * @param declaredLength the Content-Length, or -1
     * @param chunked whether the body comes chunked (no length)
     * @throws IOException if reading failed: the client's failure, see {@link #status}
     */
    static RequestBody read(InputStream in, long declaredLength, boolean chunked) throws IOException {
        if (declaredLength == 0 || (declaredLength < 0 && !chunked)) {
            return new RequestBody(new byte[0], true, in);
        }
        if (declaredLength > 0 && declaredLength <= PREFETCH) {
            byte[] all = in.readNBytes((int) declaredLength);
            return new RequestBody(all, true, in);
        }
        byte[] buffer = new byte[PREFETCH];
        int length = 0;
        boolean ended = false;
        do {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                ended = true;
                break;
            }
            length += n;
        } while (length < buffer.length && in.available() > 0);
        return new RequestBody(Arrays.copyOf(buffer, length), ended, in);
    }

    /** Bytes read before admission. */
    int prefetched() {
        return start.length;
    }

    /**
     * The whole body as a stream: what was read before, then the rest from the container through
     * {@code guard} (which must not close it).
     */
    InputStream stdin(UnaryOperator<InputStream> guard) {
        InputStream head = new ByteArrayInputStream(start);
        if (complete) {
            return head;
        }
        return new SequenceInputStream(head, guard.apply(new FilterInputStream(rest) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            @Override
            public void close() {
                // the container's
            }
        }));
    }

    private IOException failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** Why reading the rest of the body failed during the run, or null. */
    IOException failure() {
        return failure;
    }

    /** 408 if the body stopped arriving (a read timeout), else 400. */
    static int status(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return 408;
            }
        }
        return 400;
    }
}
