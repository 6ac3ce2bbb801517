package dev.wagiservlet.engine.http;

import dev.wagiservlet.threads.OwnedThreads;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;

/**
 * Sends the requests of {@code wasi_experimental_http} with the JDK's {@link HttpClient}. One client
 * per connect timeout (the JDK sets that timeout per client, the routes set it per route), created on
 * the first request, shared by all modules and runs of an engine. No Chicory types here.
 *
 * <p>Redirects are followed like {@link HttpClient.Redirect#NORMAL} (never from https to http), up to
 * {@value #MAX_REDIRECTS} of them as reqwest does, but here, not in the client, so that every target is
 * checked against the route's allow-list: a redirect to a host the route may not reach is refused
 * ({@link Denied}) instead of silently followed.
 */
public final class HttpTransport implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HttpTransport.class.getName());

    /** reqwest's default limit. */
    public static final int MAX_REDIRECTS = 10;

    /** Headers the JDK client sets itself and refuses from callers; the module's values are dropped. */
    public static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    /** Headers not sent on to another origin when following a redirect (as reqwest). */
    private static final Set<String> SENSITIVE = Set.of("authorization", "cookie", "proxy-authorization", "www-authenticate");

    /** Headers describing a body that a redirect turning the request into a GET drops. */
    private static final Set<String> BODY_HEADERS = Set.of("content-type", "content-encoding", "transfer-encoding", "content-length");

    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();
    private final OwnedThreads executorThreads =
            OwnedThreads.numbered("wagi-outbound-http").withContextClassLoader(ClassLoader.getPlatformClassLoader());
    private ExecutorService executor;
    private boolean closed;

    /**
     * A request as the module made it.
     *
     * @param headers lower-case name to {name as the module wrote it, value}
     */
    public record Outgoing(AllowedHosts.Url url, String method, Map<String, String[]> headers, byte[] body) {}

    /** A response whose body is still to be read. */
    public record Incoming(int status, HttpHeaders headers, BodyStream body) {}

    /** A redirect led to a URL the allow-list does not allow. */
    public static final class Denied extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient AllowedHosts.Url target;
        private final transient AllowedHosts.Url from;
        private final AllowedHosts.Verdict verdict;

        Denied(AllowedHosts.Url target, AllowedHosts.Url from, AllowedHosts.Verdict verdict) {
            super("redirect to " + target.redacted() + " not allowed", null, false, false);
            this.target = target;
            this.from = from;
            this.verdict = verdict;
        }

        /** Where the redirect led. */
        public AllowedHosts.Url target() {
            return target;
        }

        /** Where it came from. */
        public AllowedHosts.Url from() {
            return from;
        }

        /** Why it is not allowed. */
        public AllowedHosts.Verdict verdict() {
            return verdict;
        }
    }

    /**
     * Sends a request and waits for the response's headers, following redirects.
     *
     * @throws Denied if a redirect leads where the allow-list does not allow
     * @throws IOException for transport errors, timeouts, an unsupported scheme, too many redirects
     */
    public Incoming send(Outgoing request, AllowedHosts allowed, OutboundHttpPolicy policy)
            throws IOException, InterruptedException, Denied {
        HttpClient client = client(policy.connectTimeout());
        AllowedHosts.Url url = request.url();
        String method = request.method();
        byte[] body = request.body();
        Map<String, String[]> headers = new LinkedHashMap<>(request.headers());
        for (int redirects = 0; ; redirects++) {
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response =
                    client.send(build(url, method, headers, body, policy.requestTimeout()), HttpResponse.BodyHandlers.ofPublisher());
            AllowedHosts.Url next = redirectTarget(url, response);
            if (next == null) {
                return new Incoming(response.statusCode(), response.headers(), new BodyStream(response.body()));
            }
            discard(response.body());
            if (redirects == MAX_REDIRECTS) {
                throw new IOException("too many redirects (more than " + MAX_REDIRECTS + ")");
            }
            AllowedHosts.Verdict verdict = allowed.check(next);
            if (verdict != AllowedHosts.Verdict.ALLOWED) {
                throw new Denied(next, url, verdict);
            }
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303) {
                body = new byte[0];
                headers.keySet().removeAll(BODY_HEADERS);
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    method = "GET";
                }
            }
            if (!next.host().equals(url.host()) || next.port() != url.port() || !next.scheme().equals(url.scheme())) {
                headers.keySet().removeAll(SENSITIVE);
            }
            url = next;
        }
    }

    private static HttpRequest build(AllowedHosts.Url url, String method, Map<String, String[]> headers, byte[] body,
            Duration timeout) throws IOException {
        if (!url.scheme().equals("http") && !url.scheme().equals("https")) {
            throw new IOException("URL scheme is not allowed: " + url.scheme());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(url.uri())
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (!timeout.isZero() && !timeout.isNegative()) {
            builder.timeout(timeout);
        }
        for (Map.Entry<String, String[]> header : headers.entrySet()) {
            if (RESTRICTED.contains(header.getKey())) {
                LOG.log(Level.DEBUG, "outbound request to {0}: header {1} is set by the HTTP client, the module''s value is dropped",
                        url.redacted(), header.getValue()[0]);
                continue;
            }
            builder.header(header.getValue()[0], header.getValue()[1]);
        }
        return builder.build();
    }

    /** Where a response redirects to, if it is a redirect to follow. */
    private static AllowedHosts.Url redirectTarget(AllowedHosts.Url from, HttpResponse<?> response) {
        int status = response.statusCode();
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            return null;
        }
        String location = response.headers().firstValue("location").orElse(null);
        if (location == null) {
            return null;
        }
        try {
            AllowedHosts.Url next = resolve(from, location);
            if (next == null || !(next.scheme().equals("http") || next.scheme().equals("https"))) {
                return null;
            }
            if (from.scheme().equals("https") && next.scheme().equals("http")) {
                return null; // Redirect.NORMAL: never downgrade
            }
            return next;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null; // a Location that is not a URL: the module gets the redirect response itself
        }
    }

    /** A Location header's URL, resolved against the URL that answered with it. */
    private static AllowedHosts.Url resolve(AllowedHosts.Url from, String location) throws URISyntaxException {
        String l = location.strip();
        if (l.startsWith("//")) {
            return AllowedHosts.parseUrl(from.scheme() + ":" + l);
        }
        if (l.startsWith("/")) {
            return AllowedHosts.parseUrl(from.scheme() + "://" + from.uri().getRawAuthority() + l);
        }
        AllowedHosts.Url absolute = AllowedHosts.parseUrl(l);
        if (absolute != null) {
            return absolute;
        }
        URI base = from.uri();
        if (base.getRawPath() == null || base.getRawPath().isEmpty()) {
            base = new URI(base.getScheme(), base.getRawAuthority(), "/", null, null);
        }
        return AllowedHosts.parseUrl(base.resolve(new URI(l)).toString());
    }

    private static void discard(Flow.Publisher<List<ByteBuffer>> body) {
        body.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {}

            @Override
            public void onError(Throwable throwable) {}

            @Override
            public void onComplete() {}
        });
    }

    private synchronized HttpClient client(Duration connectTimeout) {
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        Duration key = connectTimeout.isNegative() ? Duration.ZERO : connectTimeout;
        return clients.computeIfAbsent(key, timeout -> {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade headers on plain http
                    .followRedirects(HttpClient.Redirect.NEVER) // followed in send(), checked against the allow-list
                    .executor(executor());
            if (!timeout.isZero()) {
                builder.connectTimeout(timeout);
            }
            // The client's selector thread inherits the context class loader; with a webapp's loader
            // there, the container would count the thread (which the JDK 17 client stops only once the
            // client is garbage) as a leak of the webapp.
            Thread thread = Thread.currentThread();
            ClassLoader loader = thread.getContextClassLoader();
            thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
            try {
                return builder.build();
            } finally {
                thread.setContextClassLoader(loader);
            }
        });
    }

    private ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newCachedThreadPool(executorThreads);
        }
        return executor;
    }

    /**
     * Stops the client threads of this transport; requests still running fail. (The JDK 17 client has
     * no close: its selector thread and idle connections go when the client is garbage collected.)
     */
    @Override
    public synchronized void close() {
        closed = true;
        clients.clear();
        if (executor != null) {
            executorThreads.stop(executor, Duration.ofSeconds(10));
        }
    }
}
