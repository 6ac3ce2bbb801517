package dev.wagiservlet.metrics;

import java.util.Map;

/** One WAGI filter, in JMX ({@code dev.wagiservlet:type=Filter,webapp=...,filter=...}). */
public interface WagiFilterMXBean {

    String getFilterName();

    /** The webapp's context path, {@code /} for the root. */
    String getWebapp();

    /** When the filter started, ISO-8601. */
    String getStartedAt();

    /** How long the filter took to start, compiling every module; -1 while it starts. */
    long getStartupMillis();

    /** The routes mounted now. */
    String[] getRoutes();

    int getRouteCount();

    /** Requests to the routes mounted now. */
    long getRequests();

    long getInFlight();

    long getErrors();

    /** Module cache lookups that found the module compiled. */
    long getCacheHits();

    /** Module cache lookups that had to compile the module. */
    long getCacheMisses();

    double getCacheHitRatio();

    long getCompilations();

    long getCompileFailures();

    /** Every compile's time, added up. */
    double getCompileMillisTotal();

    /** The last compile time of each module file in use. */
    Map<String, Double> getModuleCompileMillis();

    /** Reloads of the modules.toml that replaced the routes. */
    long getReloads();

    /** Reloads that failed (the routes before them stayed). */
    long getReloadFailures();
}
