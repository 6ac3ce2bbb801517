package dev.wagiservlet.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds what the integration tests deploy: modules.toml folders and exploded webapps. */
final class TestWebapps {

    private TestWebapps() {}

    static Path property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set; run the tests with mvn verify");
        }
        return Path.of(value);
    }

    static Path war() {
        return property("wagi.war");
    }

    static Path module(String name) {
        return property("wagi.modules.dir").resolve(name + ".wasm");
    }

    /** Copies modules into {@code dir/wasm/} so a modules.toml in {@code dir} can name them relatively. */
    static void copyModules(Path dir, String... names) throws IOException {
        Files.createDirectories(dir.resolve("wasm"));
        for (String name : names) {
            Files.copy(module(name), dir.resolve("wasm").resolve(name + ".wasm"));
        }
    }

    /** Writes a minimal webapp's web.xml with the given filter init-params and extra web.xml elements. */
    static Path webapp(Path dir, List<String[]> initParams, String extraElements) throws IOException {
        return webapp(dir, "", initParams, extraElements);
    }

    /** Like {@link #webapp(Path, List, String)}, with web.xml elements that come before the WAGI filter. */
    static Path webapp(Path dir, String before, List<String[]> initParams, String extraElements) throws IOException {
        Files.createDirectories(dir.resolve("WEB-INF/lib"));
        StringBuilder params = new StringBuilder();
        for (String[] param : initParams) {
            params.append("      <init-param><param-name>").append(param[0]).append("</param-name><param-value>")
                    .append(param[1].replace("&", "&amp;").replace("<", "&lt;")).append("</param-value></init-param>\n");
        }
        Files.writeString(dir.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                %s
                  <filter>
                    <filter-name>wagi</filter-name>
                    <filter-class>dev.wagiservlet.filter.WagiFilter</filter-class>
                %s  </filter>
                  <filter-mapping><filter-name>wagi</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                %s
                </web-app>
                """.formatted(before, params, extraElements));
        return dir;
    }

    /** Puts the library JAR and its runtime dependencies into the webapp, as a user would. */
    static void addLibrary(Path webapp) throws IOException {
        Path lib = webapp.resolve("WEB-INF/lib");
        Path jar = property("wagi.library.jar");
        Files.copy(jar, lib.resolve(jar.getFileName()));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(property("wagi.library.lib"), "*.jar")) {
            for (Path dependency : jars) {
                Files.copy(dependency, lib.resolve(dependency.getFileName()));
            }
        }
    }

    /**
     * Adds what the library JAR needs for the wasmtime engine, as a user would (docs/engines.md):
     * wasmtime-java and slf4j-api, taken from the WAR, which bundles them.
     */
    static void addWasmtime(Path webapp) throws IOException {
        Path lib = webapp.resolve("WEB-INF/lib");
        try (FileSystem war = FileSystems.newFileSystem(war())) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(war.getPath("/WEB-INF/lib"), jar -> jar.getFileName().toString()
                    .startsWith("wasmtime-java-") || jar.getFileName().toString().startsWith("slf4j-api-"))) {
                for (Path jar : jars) {
                    Files.copy(jar, lib.resolve(jar.getFileName().toString()));
                }
            }
        }
    }

    /** Copies a compiled test class into the webapp's WEB-INF/classes. */
    static void addClass(Path webapp, Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        Path target = webapp.resolve("WEB-INF/classes").resolve(resource);
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
