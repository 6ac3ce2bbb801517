package dev.wagiservlet.bench.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends one request after another (never two at once) to a loopback URL on its own thread, at most
 * one every {@code pace}, and records when each was sent, how long it took and how it ended. Used
 * to see when a route first answers and how fast another route answers meanwhile.
 */
final class Probe implements AutoCloseable {

    /**
     * @param sentNanos System.nanoTime() when the request was sent
     * @param nanos how long until the whole response was read (or the failure)
     * @param status the HTTP status, or -1 when there was no response (refused, timed out)
     * @param body the response body (truncated to 200 chars)
     */
    record Sample(long sentNanos, long nanos, int status, String body) {
        boolean ok() {
            return status == 200;
        }

        long endNanos() {
            return sentNanos + nanos;
        }
    }

    private final URI uri;
    private final byte[] postBody;
    private final Duration pace;
    private final boolean stopAtFirst200;
    private final HttpClient client;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param uri loopback URL
     * @param postBody a POST body, or null for GET
     * @param pace the least time from one request's start to the next's
     * @param stopAtFirst200 stop after the first 200
     */
    Probe(String name, URI uri, byte[] postBody, Duration pace, boolean stopAtFirst200) {
        if (!"127.0.0.1".equals(uri.getHost())) {
            throw new IllegalArgumentException("probes go to loopback only: " + uri);
        }
        this.uri = uri;
        this.postBody = postBody;
        this.pace = pace;
        this.stopAtFirst200 = stopAtFirst200;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        this.thread = new Thread(this::loop, "probe-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(300));
            if (postBody != null) {
                request.POST(HttpRequest.BodyPublishers.ofByteArray(postBody))
                        .header("Content-Type", "application/javascript");
            }
            long sent = System.nanoTime();
            Sample sample;
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                String body = response.body();
                sample = new Sample(sent, System.nanoTime() - sent, response.statusCode(),
                        body.length() > 200 ? body.substring(0, 200) : body);
            } catch (IOException e) {
                sample = new Sample(sent, System.nanoTime() - sent, -1, String.valueOf(e));
            } catch (InterruptedException e) {
                return;
            }
            synchronized (samples) {
                samples.add(sample);
            }
            if (stopAtFirst200 && sample.ok()) {
                running = false;
                return;
            }
            long wait = TimeUnit.NANOSECONDS.toMillis(sent + pace.toNanos() - System.nanoTime());
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** A copy of the samples so far. */
    List<Sample> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    /** The first answered 200, if any yet. */
    Sample first200() {
        for (Sample s : samples()) {
            if (s.ok()) {
                return s;
            }
        }
        return null;
    }

    /** Waits (bounded) until the probe has had its first 200; returns it, or null. */
    Sample awaitFirst200(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Sample s = first200();
            if (s != null) {
                return s;
            }
            Thread.sleep(20);
        }
        return first200();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
