package dev.wagiservlet.bench.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed number of requests per connection, each connection one client thread sending one request after
 * another (closed loop, as wrk): for a module whose requests take seconds, where wrk's fixed duration
 * would end with few or no requests complete. Latencies are exact (every one is kept).
 */
final class FixedCount {

    private FixedCount() {}

    /** Sends {@code perConnection} requests on each of {@code connections} connections; the result reads as wrk's. */
    static Wrk.Result run(URI url, int connections, int perConnection, Duration timeout, RequestBody body)
            throws IOException, InterruptedException {
        if (!"127.0.0.1".equals(url.getHost())) {
            throw new IllegalArgumentException("the benchmark drives loopback only: " + url);
        }
        byte[] bytes = body.isPost() ? body.bytes() : null;
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            Thread t = new Thread(() -> {
                for (int i = 0; i < perConnection; i++) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout);
                    if (bytes != null) {
                        request.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).header("Content-Type", body.contentTypeOrDefault());
                    }
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() >= 400) {
                            errors.incrementAndGet();
                        } else {
                            micros.add((System.nanoTime() - sent) / 1000);
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fixed-count-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> done = new ArrayList<>(micros);
        String raw = String.format(Locale.ROOT, "FixedCount %s: %d connections x %d requests, %d answered, %d errors in %.1f s; latencies us: %s%n",
                url, connections, perConnection, done.size(), errors.get(), seconds, done);
        if (done.isEmpty()) {
            return new Wrk.Result(0, seconds, errors.get(), -1, -1, -1, -1, Double.NaN, raw);
        }
        return new Wrk.Result(done.size(), seconds, errors.get(), Stats.percentile(done, 50), Stats.percentile(done, 90),
                Stats.percentile(done, 99), Stats.max(done), done.stream().mapToLong(Long::longValue).average().orElse(Double.NaN), raw);
    }
}
