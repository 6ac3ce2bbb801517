package dev.wagiservlet.core;

import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.cgi.Header;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An {@link HttpPort} for the core's unit tests: a request made here, and a response that records
 * what the gateway did with it, as a container would see it. The body is held until flushed (as
 * in a container's buffer), and the response is committed by the first flush.
 */
class FakePort implements HttpPort {

    private final CgiRequest request;
    private final InputStream body;
    String normalisedPath;
    int status = 200;
    long contentLength = -1;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    final List<String> flushed = new ArrayList<>();
    boolean committed;
    boolean bodyFailed;
    int answers;

    FakePort(String method, String path, byte[] requestBody) {
        this(method, path, null, requestBody);
    }

    FakePort(String method, String path, String query, byte[] requestBody) {
        this.request = new CgiRequest(method, path, "", query, "HTTP/1.1", "http", "localhost", 8080, "127.0.0.1", null, null, null,
                OptionalLong.of(requestBody.length), List.of(new Header("Host", "localhost")));
        this.body = new ByteArrayInputStream(requestBody);
        this.normalisedPath = path;
    }

    static FakePort get(String path) {
        return new FakePort("GET", path, new byte[0]);
    }

    static FakePort get(String path, String query) {
        return new FakePort("GET", path, query, new byte[0]);
    }

    @Override
    public CgiRequest request() {
        return request;
    }

    @Override
    public String normalisedPath() {
        return normalisedPath;
    }

    @Override
    public InputStream requestBody() {
        return body;
    }

    @Override
    public void requestBodyFailed() {
        bodyFailed = true;
    }

    @Override
    public void status(int status) {
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public void contentLength(long length) {
        contentLength = length;
    }

    @Override
    public void contentType(String type) {
        headers.computeIfAbsent("Content-Type", k -> new ArrayList<>()).add(type);
    }

    @Override
    public void addHeader(String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    @Override
    public OutputStream responseBody() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                pending.write(b);
            }

            @Override
            public void flush() {
                committed = true;
                flushed.add(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            }
        };
    }

    @Override
    public boolean committed() {
        return committed;
    }

    @Override
    public void answer(int status, String text, String... extra) throws IOException {
        if (committed) {
            throw new IllegalStateException("committed");
        }
        answers++;
        headers.clear();
        pending.reset();
        this.status = status;
        contentLength = text.length();
        for (int i = 0; i + 1 < extra.length; i += 2) {
            headers.put(extra[i], new ArrayList<>(List.of(extra[i + 1])));
        }
        pending.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Every byte of body written, flushed or not. */
    String body() {
        return String.join("", flushed) + pending.toString(StandardCharsets.UTF_8);
    }
}
