package dev.wagiservlet.bench;

import dev.wagiservlet.cgi.CgiRequest;
import dev.wagiservlet.cgi.Header;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** The inputs the microbenchmarks share: a typical request and the module files. */
final class BenchInputs {

    private BenchInputs() {}

    /** What a browser-like client sends: {@code GET /hello?name=bench&lang=java}, eight headers. */
    static CgiRequest typicalRequest(String path) {
        return new CgiRequest("GET", path, "", "name=bench&lang=java", "HTTP/1.1", "http", "127.0.0.1", 8080,
                "127.0.0.1", null, null, null, OptionalLong.of(0), List.of(
                        new Header("Host", "127.0.0.1:8080"),
                        new Header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
                        new Header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                        new Header("Accept-Language", "en-US,en;q=0.5"),
                        new Header("Accept-Encoding", "gzip, deflate, br"),
                        new Header("Connection", "keep-alive"),
                        new Header("Cookie", "session=0123456789abcdef; theme=dark"),
                        new Header("Upgrade-Insecure-Requests", "1")));
    }

    /** hello.wasm or echo.wasm from modules/wasm, or rust-1m.wasm from bench/wasm. */
    static Path module(String name) {
        Path file = name.equals("rust-1m")
                ? dir("bench.dir", "bench").resolve("wasm/rust-1m.wasm")
                : dir("bench.modules", "modules/wasm").resolve(name + ".wasm");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("module not found: " + file + " (run from the repository root, or set -Dbench.dir / -Dbench.modules)");
        }
        return file;
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path dir(String property, String relative) {
        String value = System.getProperty(property);
        if (value != null) {
            return Path.of(value);
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(relative))) {
                return p.resolve(relative);
            }
        }
        return here.resolve(relative);
    }
}
