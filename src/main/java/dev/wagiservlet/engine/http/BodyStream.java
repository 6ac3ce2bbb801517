package dev.wagiservlet.engine.http;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP response body, read as the module asks for it. It subscribes to the JDK client's body
 * publisher and asks for the next batch of buffers only when the previous one has been read, so
 * at most one batch (a few tens of KiB) is held per response, however large the body. Reads
 * happen on the module's thread; the publisher's signals arrive on the client's threads.
 */
public final class BodyStream implements Flow.Subscriber<List<ByteBuffer>> {

    private static final Object END = new Object();

    /** Batches of buffers, then {@link #END} or a Throwable. */
    private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();

    private volatile Flow.Subscription subscription;
    private volatile boolean closed;

    // Reader side (the module's thread only).
    private Iterator<ByteBuffer> batch = Collections.emptyIterator();
    private ByteBuffer current;
    private boolean requested = true; // onSubscribe asks for the first batch
    private boolean ended;
    private IOException failure;

    public BodyStream(Flow.Publisher<List<ByteBuffer>> publisher) {
        publisher.subscribe(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (subscription != null) {
            s.cancel();
            return;
        }
        subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        if (!closed) {
            signals.add(item);
        }
    }

    @Override
    public void onError(Throwable t) {
        signals.add(t);
    }

    @Override
    public void onComplete() {
        signals.add(END);
    }

    /**
     * Reads up to {@code len} bytes into {@code dst}: at least one unless the body has ended.
     *
     * @param timeout how long to wait for the next bytes; zero or negative waits without limit
     * @return the number of bytes read, or -1 at the end of the body
     * @throws HttpTimeoutException if no bytes arrived in time (the body may still be read later)
     * @throws IOException if the connection failed, or the stream was closed
     */
    public int read(byte[] dst, int off, int len, Duration timeout) throws IOException, InterruptedException {
        if (closed) {
            throw new IOException("response body closed");
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (current != null && current.hasRemaining()) {
                int n = Math.min(len, current.remaining());
                current.get(dst, off, n);
                return n;
            }
            if (batch.hasNext()) {
                current = batch.next();
                continue;
            }
            if (ended) {
                return -1;
            }
            if (failure != null) {
                throw failure;
            }
            if (!requested) {
                requested = true;
                subscription.request(1);
            }
            Object signal = poll(timeout);
            if (signal == null) {
                throw new HttpTimeoutException("no response data within " + timeout);
            }
            if (signal == END) {
                ended = true;
            } else if (signal instanceof Throwable) {
                Throwable t = (Throwable) signal;
                failure = t instanceof IOException ? (IOException) t : new IOException(t.getMessage(), t);
            } else {
                @SuppressWarnings("unchecked")
                List<ByteBuffer> buffers = (List<ByteBuffer>) signal;
                batch = buffers.iterator();
                requested = false;
            }
        }
    }

    private Object poll(Duration timeout) throws InterruptedException {
        if (timeout.isZero() || timeout.isNegative()) {
            return signals.take();
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        return signals.poll(nanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the body: the client is told to cancel it (an HTTP/1.1 connection is then closed). */
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        signals.clear();
        batch = Collections.emptyIterator();
        current = null;
    }
}
