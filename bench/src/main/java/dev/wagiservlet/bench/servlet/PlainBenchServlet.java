package dev.wagiservlet.bench.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's baseline: a plain Java servlet doing what hello.wasm and echo.wasm do, written
 * the ordinary way (no explicit flush, so Tomcat sets Content-Length for the short hello).
 *
 * <ul>
 *   <li>{@code GET /plain/hello}: {@code Content-Type: text/plain}, body {@code Hello, world!\n}</li>
 *   <li>{@code POST /plain/echo}: the request's Content-Type (or application/octet-stream) and the
 *       body copied back in chunks of up to 64 KiB</li>
 * </ul>
 */
public class PlainBenchServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final byte[] HELLO = "Hello, world!\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getOutputStream().write(HELLO);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String type = request.getContentType();
        response.setContentType(type == null || type.isEmpty() ? "application/octet-stream" : type);
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = request.getInputStream()) {
            OutputStream out = response.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        }
    }
}
