package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wagiservlet.it.support.ServletContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arrangement for many webapps on wasmtime: wasmtime-java (and slf4j-api) in Tomcat's shared
 * lib, out of the WAR. Two webapps serve from wasmtime, and the JNI library is loaded once, by the
 * shared class loader, from one file.
 */
class TomcatWasmtimeSharedLibIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void twoWebappsShareOneLoadOfTheLibrary(@TempDir Path work) throws Exception {
        Path modules = work.resolve("modules");
        Path nativeDir = work.resolve("native");
        TestWebapps.copyModules(modules, "hello", "trap");
        Files.writeString(modules.resolve("modules.toml"), """
                [[module]]
                route = "/native-hello"
                module = "wasm/hello.wasm"
                engine = "wasmtime"

                [[module]]
                route = "/trap"
                module = "wasm/trap.wasm"
                engine = "wasmtime"
                """);
        Path webapp = work.resolve("webapp");
        Path shared = Files.createDirectories(work.resolve("shared"));
        try (FileSystem war = FileSystems.newFileSystem(URI.create("jar:" + TestWebapps.war().toUri()), Map.of())) {
            ServletContainer.copyTree(war.getPath("/"), webapp);
        }
        try (Stream<Path> jars = Files.list(webapp.resolve("WEB-INF/lib"))) {
            for (Path jar : jars.filter(j -> j.getFileName().toString().startsWith("wasmtime-java")
                    || j.getFileName().toString().startsWith("slf4j-api")).toList()) {
                Files.move(jar, shared.resolve(jar.getFileName()));
            }
        }
        ServletContainer tomcat = ServletContainer.tomcat();
        try (Stream<Path> jars = Files.list(shared)) {
            jars.forEach(tomcat::sharedJar);
        }
        try (ServletContainer started = tomcat
                .deploy("/a", webapp)
                .deploy("/b", webapp)
                .env("WAGI_MODULES_TOML", modules.resolve("modules.toml").toString())
                .systemProperty("wagi-servlet.native-dir", nativeDir.toString())
                .start()) {
            for (String context : List.of("/a", "/b")) {
                HttpResponse<String> hello = get(started, context + "/native-hello");
                assertEquals(200, hello.statusCode(), () -> context + "\n" + started.logTail());
                assertEquals("Hello, world!\n", hello.body());
                assertEquals(500, get(started, context + "/trap").statusCode());
            }
            long loads = started.log().lines().filter(l -> l.contains("Loaded the wasmtime library from")).distinct().count();
            assertEquals(1, loads, "one load for the JVM");
            try (Stream<Path> files = Files.walk(nativeDir)) {
                assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("libwasmtime_jni")
                        && !f.toString().endsWith(".part")).count(), "one library file");
            }
        }
    }

    private HttpResponse<String> get(ServletContainer container, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(container.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
