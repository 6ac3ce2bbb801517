package dev.wagiservlet.engine.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a module may reach over outbound HTTP through the {@code wasi_experimental_http} host
 * functions: nothing by default.
 *
 * @param allowedHosts the allow-list, in wagi's form ({@code https://api.example.com},
 *     {@code insecure:allow-all}); empty denies every request
 * @param maxConcurrency how many responses one run may hold open at once; empty for no limit
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for a response
 * @param route the route the module serves, for log lines ({@code ""} if none)
 */
public record OutboundHttpPolicy(
        List<String> allowedHosts, OptionalInt maxConcurrency, Duration connectTimeout, Duration requestTimeout, String route) {

    /** No outbound requests at all. */
    public static final OutboundHttpPolicy DENY_ALL =
            new OutboundHttpPolicy(List.of(), OptionalInt.empty(), Duration.ofSeconds(10), Duration.ofSeconds(30));

    /** A policy not tied to a route. */
    public OutboundHttpPolicy(List<String> allowedHosts, OptionalInt maxConcurrency, Duration connectTimeout, Duration requestTimeout) {
        this(allowedHosts, maxConcurrency, connectTimeout, requestTimeout, "");
    }

    /** The same policy, named after the route it serves. */
    public OutboundHttpPolicy forRoute(String name) {
        return new OutboundHttpPolicy(allowedHosts, maxConcurrency, connectTimeout, requestTimeout, name);
    }

    public OutboundHttpPolicy {
        allowedHosts = List.copyOf(allowedHosts);
        Objects.requireNonNull(maxConcurrency, "maxConcurrency");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(route, "route");
    }
}
