package dev.wagiservlet.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits and faults in a real container: each limit answers with its status and a log line naming
 * the route, a broken module never breaks the next request, and a timed-out run whose request body
 * was still streaming leaves the container serving normally.
 */
abstract class LimitsContract extends ContainerContract {


    abstract ServletContainer newContainer();

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        Path modules = work.resolve("modules");
        TestWebapps.copyModules(modules, "loop", "stream-loop", "bigmem", "recurse", "oob", "div0", "badimport", "stream",
                "echo", "big-body", "status", "hello", "stderr-flood");
        Files.writeString(modules.resolve("modules.toml"), """
                [[module]]
                route = "/loop"
                module = "wasm/loop.wasm"
                timeout = "1s"

                [[module]]
                route = "/stream-loop"
                module = "wasm/stream-loop.wasm"
                timeout = "1s"

                [[module]]
                route = "/stream-timeout"
                module = "wasm/stream.wasm"
                timeout = "1s"

                [[module]]
                route = "/bigmem"
                module = "wasm/bigmem.wasm"
                max_memory = "8MiB"

                [[module]]
                route = "/bigmem-default"
                module = "wasm/bigmem.wasm"

                [[module]]
                route = "/recurse"
                module = "wasm/recurse.wasm"

                [[module]]
                route = "/oob"
                module = "wasm/oob.wasm"

                [[module]]
                route = "/div0"
                module = "wasm/div0.wasm"

                [[module]]
                route = "/badimport"
                module = "wasm/badimport.wasm"

                [[module]]
                route = "/one-at-a-time"
                module = "wasm/stream.wasm"
                max_concurrency = 1

                [[module]]
                route = "/small-body"
                module = "wasm/echo.wasm"
                max_body_size = "1KiB"

                [[module]]
                route = "/output-cut"
                module = "wasm/big-body.wasm"
                max_output_size = "100KiB"

                [[module]]
                route = "/output-small"
                module = "wasm/big-body.wasm"
                max_output_size = "1KiB"

                [[module]]
                route = "/stderr-flood"
                module = "wasm/stderr-flood.wasm"

                                [[module]]
                route = "/tiny-header"
                module = "wasm/status.wasm"
                max_header_size = "16"
                """);
        container = newContainer()
                .deploy("/wagi", TestWebapps.war())
                .env("WAGI_MODULES_TOML", modules.resolve("modules.toml").toString())
                .env("WAGI_CONCURRENCY_WAIT", "300ms")
                .start();
    }

    @Test
    void aModuleThatNeverEndsGets504() throws Exception {
        long start = System.nanoTime();
        assertEquals(504, get("/wagi/loop").statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15, "the timeout is 1 s");
        assertLogged("[/loop] 504");
        assertEquals(200, get("/wagi/hello").statusCode());
    }

    @Test
    void aTimeoutAfterTheResponseStartedAbortsTheConnection() {
        assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(container.uri("/wagi/stream-loop")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertLogged("[/stream-loop] the module failed after the response was committed");
    }

    @Test
    void aTimedOutRunWhoseBodyWasStillStreamingLeavesTheContainerServing() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /wagi/stream-timeout HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(UTF_8));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed = false;
            // Keep the body streaming, a chunk every 100 ms, until the server gives up on the request.
            while (!closed && Duration.ofNanos(System.nanoTime() - start).toSeconds() < 20) {
                try {
                    out.write("5\r\nhello\r\n".getBytes(UTF_8));
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                try {
                    int n;
                    byte[] buffer = new byte[4096];
                    while ((n = in.read(buffer)) > 0) {
                        received.write(buffer, 0, n);
                    }
                    closed = n < 0;
                } catch (SocketTimeoutException e) {
                    Thread.sleep(100);
                }
            }
            assertTrue(closed, "the server must end a run that timed out while its body was streaming");
            String response = received.toString(UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200") && response.contains("first"), response);
            assertTrue(!response.contains("last"), "the module never finished: " + response);
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15, "ended by the 1 s timeout, not a read timeout");
        assertLogged("[/stream-timeout] the module failed after the response was committed");
        for (int i = 0; i < 20; i++) {
            assertEquals("Hello, world!\n", get("/wagi/hello").body(), "the container keeps serving");
        }
    }

    @Test
    void growingPastTheMemoryCapIs500() throws Exception {
        assertEquals(500, get("/wagi/bigmem").statusCode());
        assertLogged("[/bigmem] 500");
        assertEquals(500, get("/wagi/bigmem-default").statusCode(), "the default cap (256 MiB) stops a module growing to 1 GiB");
        assertEquals(500, get("/wagi/bigmem").statusCode(), "the same again, not a broken route");
        assertEquals(200, get("/wagi/hello").statusCode());
    }

    @Test
    void trapsGiveClearErrorsAndTheNextRequestWorks() throws Exception {
        for (String route : List.of("/recurse", "/oob", "/div0", "/badimport")) {
            assertEquals(500, get("/wagi" + route).statusCode(), route);
            assertEquals(500, get("/wagi" + route).statusCode(), route + ", again");
            assertLogged("[" + route + "] 500");
        }
        assertLogged("env");
        assertTrue(container.log().contains("missing"), "the log names the unknown import");
        assertEquals(200, get("/wagi/hello").statusCode());
    }

    @Test
    void pastTheConcurrencyCapA503WithRetryAfter() throws Exception {
        try (Socket holder = new Socket("127.0.0.1", container.port())) {
            holder.setSoTimeout(10_000);
            OutputStream out = holder.getOutputStream();
            out.write(("POST /wagi/one-at-a-time HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
                    .getBytes(UTF_8));
            out.flush();
            Wire.readUntil(holder.getInputStream(), "first\n"); // the one slot is taken now
            HttpResponse<String> turnedAway = http.send(HttpRequest.newBuilder(container.uri("/wagi/one-at-a-time"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, turnedAway.statusCode());
            assertEquals("1", turnedAway.headers().firstValue("Retry-After").orElseThrow());
            assertLogged("[/one-at-a-time] no free slot");
            out.write("0\r\n\r\n".getBytes(UTF_8));
            out.flush();
            Wire.readUntil(holder.getInputStream(), "last\n");
        }
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(container.uri("/wagi/one-at-a-time"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode(), "the slot is free again");
    }

    @Test
    void aBodyOverTheCapIs413() throws Exception {
        byte[] body = new byte[2048];
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(container.uri("/wagi/small-body"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, declared.statusCode());
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(container.uri("/wagi/small-body"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), "a chunked body is counted as it arrives");
        assertEquals(200, http.send(HttpRequest.newBuilder(container.uri("/wagi/small-body"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1000])).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertLogged("[/small-body]");
    }

    @Test
    void outputOverTheCap() throws Exception {
        assertEquals(502, get("/wagi/output-small").statusCode(), "nothing sent yet: 502");
        assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(container.uri("/wagi/output-cut")).build(),
                HttpResponse.BodyHandlers.ofByteArray()), "already streaming: the connection is aborted");
        assertLogged("[/output-cut] the module failed after the response was committed");
    }

    @Test
    void aHeaderBlockOverTheCapIs502() throws Exception {
        assertEquals(502, get("/wagi/tiny-header").statusCode());
        assertLogged("[/tiny-header] bad CGI response from the module: The module's CGI header block is larger than 16 bytes");
    }

    @Test
    void aStderrFloodIsCutAndLoggedOnceWithoutFailingTheRun() throws Exception {
        long flood = 1000L * 65536;
        String note = "[/stderr-flood] stderr cut at 16384 bytes (max_stderr_size): " + (flood - 16384) + " more bytes dropped";
        int before = container.log().length();
        long start = System.nanoTime();
        HttpResponse<String> response = get("/wagi/stderr-flood");
        assertEquals(200, response.statusCode());
        assertEquals("survived\n", response.body());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "the flood does not slow the run down");
        assertLogged(note);
        String log = container.log(); // the console, then the log files: a record may be in both
        int grown = log.length() - before;
        assertTrue(grown < 256 * 1024, "the log grew by " + grown + " characters for a flood of " + flood + " bytes");
        assertTrue(log.contains("[/stderr-flood] eeee"), "the first of the module's stderr is logged, with the route");
        assertEquals(200, get("/wagi/hello").statusCode());
    }


    private void assertLogged(String text) {
        assertTrue(container.awaitLog(text, Duration.ofSeconds(10)), "log lacks: " + text);
    }
}
