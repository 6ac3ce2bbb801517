package dev.wagiservlet.metrics;

import java.util.Map;

/**
 * One route of a WAGI filter, in JMX ({@code dev.wagiservlet:type=Route,webapp=...,filter=...,route="..."}).
 * Latencies are since the route was mounted, in milliseconds.
 */
public interface RouteMXBean {

    /** The route as configured, e.g. {@code /static/...}. */
    String getRoute();

    /** The Host names it serves, comma-separated; empty for every host. */
    String getHosts();

    /** The module file. */
    String getModule();

    String getEntrypoint();

    /** The engine its module runs on: {@code chicory} or {@code wasmtime}. */
    String getEngine();

    /** The module file's size in bytes when it was last compiled; -1 if it was not. */
    long getModuleSize();

    /** {@code compiled}, {@code failed} or {@code not compiled}. */
    String getCompileState();

    /** How long the module's last compile took. */
    double getCompileMillis();

    /** How many of the module's functions its last compile left to an interpreter (too large to compile); 0 if none. */
    int getInterpretedFunctions();

    long getRequests();

    /** Requests under way now. */
    long getInFlight();

    /** Errors of every kind. */
    long getErrors();

    /** Errors by kind: trap, exit, link, entrypoint, load, bad-cgi, timeout, limit, too-large, method, busy, shutdown, other. */
    Map<String, Long> getErrorsByKind();

    /** Responses by status class, 1xx to 5xx. */
    Map<String, Long> getResponsesByStatusClass();

    /** Connections aborted because the module failed mid-response. */
    long getAborted();

    double getLatencyMeanMillis();

    double getLatencyP50Millis();

    double getLatencyP90Millis();

    double getLatencyP99Millis();

    double getLatencyMaxMillis();
}
