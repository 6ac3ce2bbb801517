package dev.wagiservlet.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one route has served: requests, requests under way, errors by {@link ErrorKind}, responses
 * by status class, connections aborted mid-response, and latencies. Every recording method is
 * lock-free and allocates nothing, so it can sit on the request path:
 *
 * <pre>{@code
 * long started = metrics.begin();
 * try {
 *     ... metrics.error(ErrorKind.TIMEOUT) ...
 * } finally {
 *     metrics.end(started, response.getStatus());
 * }
 * }</pre>
 */
public final class RouteMetrics {

    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final RouteInfo info;
    private final LongAdder requests = new LongAdder();
    private final LongAdder inFlight = new LongAdder();
    private final LongAdder aborted = new LongAdder();
    private final LongAdder[] errors = new LongAdder[ErrorKind.ALL.size()];
    private final LongAdder[] responses = new LongAdder[STATUS_CLASSES.length];
    private final LatencyHistogram latency = new LatencyHistogram();

    public RouteMetrics(RouteInfo info) {
        this.info = info;
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
        for (int i = 0; i < responses.length; i++) {
            responses[i] = new LongAdder();
        }
    }

    /** The route these metrics are of. */
    public RouteInfo info() {
        return info;
    }

    /** A request has come: counts it and it as under way. @return the time it came, for {@link #end} */
    public long begin() {
        requests.increment();
        inFlight.increment();
        return System.nanoTime();
    }

    /**
     * A request is done, however it ended.
     *
     * @param started what {@link #begin()} returned
     * @param status the response's status
     */
    public void end(long started, int status) {
        latency.record(System.nanoTime() - started);
        inFlight.decrement();
        int statusClass = status / 100;
        if (statusClass >= 1 && statusClass <= STATUS_CLASSES.length) {
            responses[statusClass - 1].increment();
        }
    }

    /** A request ended with an error of this kind. */
    public void error(ErrorKind kind) {
        errors[kind.ordinal()].increment();
    }

    /** A module failed after its response was committed: the connection was aborted. */
    public void aborted() {
        aborted.increment();
    }

    public long requests() {
        return requests.sum();
    }

    /** Requests under way now (waiting for a slot, running, or sending their response). */
    public long inFlight() {
        return inFlight.sum();
    }

    /** Requests whose connection was aborted mid-response. */
    public long abortedCount() {
        return aborted.sum();
    }

    public long errors(ErrorKind kind) {
        return errors[kind.ordinal()].sum();
    }

    /** Errors of every kind. */
    public long errors() {
        long total = 0;
        for (LongAdder adder : errors) {
            total += adder.sum();
        }
        return total;
    }

    /** Errors by kind label, in {@link ErrorKind} order, zeros included. */
    public Map<String, Long> errorsByKind() {
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (ErrorKind kind : ErrorKind.ALL) {
            byKind.put(kind.label(), errors(kind));
        }
        return byKind;
    }

    /** Responses by status class ({@code 1xx} ... {@code 5xx}), zeros included. */
    public Map<String, Long> responsesByStatusClass() {
        Map<String, Long> byClass = new LinkedHashMap<>();
        for (int i = 0; i < STATUS_CLASSES.length; i++) {
            byClass.put(STATUS_CLASSES[i], responses[i].sum());
        }
        return byClass;
    }

    /** Responses of one status class, e.g. {@code 5} for 5xx. */
    public long responses(int statusClass) {
        return responses[statusClass - 1].sum();
    }

    /** The status class labels, {@code 1xx} to {@code 5xx}. */
    public static String[] statusClasses() {
        return STATUS_CLASSES.clone();
    }

    /** The latencies: from the request reaching the route until its response was written. */
    public LatencyHistogram latency() {
        return latency;
    }

    @Override
    public String toString() {
        return info.key();
    }
}
