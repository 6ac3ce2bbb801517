package dev.wagiservlet.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Proves the harness on both real containers: deploy, start, real HTTP, env/system properties, stop. */
class ContainerSmokeIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Spaces, quotes, $, backslash, glob: must reach the webapp unchanged (catalina.sh uses eval). */
    private static final String TRICKY = "a b 'c' \"d\" $HOME \\x * ;ok";

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                     version="6.0">
            %s</web-app>
            """;

    private static final String PROBE_SERVLET = """
              <servlet>
                <servlet-name>probe</servlet-name>
                <servlet-class>dev.wagiservlet.it.support.ProbeServlet</servlet-class>
              </servlet>
              <servlet-mapping>
                <servlet-name>probe</servlet-name>
                <url-pattern>/probe</url-pattern>
              </servlet-mapping>
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tomcat", "jetty"})
    void servesDeployedWebappsOverRealHttp(String container, @TempDir Path tmp) throws Exception {
        Path smoke = explodedWebapp(tmp.resolve("smoke"));
        Path rootWar = war(tmp.resolve("rootapp.war"));

        int port;
        Path base;
        try (ServletContainer server = ServletContainer.of(container)
                .deploy("/smoke", smoke)
                .deploy("", rootWar)
                .env("WAGI_SMOKE_ENV", TRICKY)
                .systemProperty("wagi.smoke.prop", TRICKY)) {
            long t0 = System.nanoTime();
            server.start();
            System.err.printf("%s started in %d ms%n", container, (System.nanoTime() - t0) / 1_000_000);
            port = server.port();
            base = server.baseDirectory();
            assertEquals(container, server.name());

            HttpResponse<String> hello = get(server, "/smoke/hello.txt");
            assertEquals(200, hello.statusCode(), () -> "GET /smoke/hello.txt\n" + server.logTail());
            assertEquals("hi", hello.body());

            HttpResponse<String> root = get(server, "/root.txt");
            assertEquals(200, root.statusCode(), () -> "GET /root.txt (WAR at root)\n" + server.logTail());
            assertEquals("root", root.body());

            HttpResponse<String> prop = get(server, "/smoke/probe?prop=wagi.smoke.prop");
            assertEquals(200, prop.statusCode(), () -> "system property\n" + server.logTail());
            assertEquals(TRICKY, prop.body());

            HttpResponse<String> env = get(server, "/smoke/probe?env=WAGI_SMOKE_ENV");
            assertEquals(200, env.statusCode(), () -> "environment variable\n" + server.logTail());
            assertEquals(TRICKY, env.body());

            String ready = container.equals("tomcat") ? TomcatContainer.READY : JettyContainer.READY;
            assertTrue(server.awaitLog(ready, Duration.ofSeconds(1)), server::logTail);
            assertTrue(server.awaitLog("ProbeServlet: env=WAGI_SMOKE_ENV -> set", Duration.ofSeconds(10)),
                    () -> "webapp log (ServletContext.log) not in log()\n" + server.logTail());
            assertFalse(server.awaitLog("no such text in any log", Duration.ofMillis(300)));
            assertTrue(server.isAlive());
        }
        assertPortClosed(port);
        assertNoServerProcessLeft(base);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tomcat", "jetty"})
    void failedStartThrowsWithTheServerLog(String container) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ServletContainer server = ServletContainer.of(container).port(taken.getLocalPort());
            IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
            System.err.println(e.getMessage().lines().limit(3).collect(Collectors.joining("\n")));
            assertTrue(e.getMessage().contains("BindException") || e.getMessage().contains("Address already in use"),
                    e::getMessage);
            assertFalse(server.isAlive());
            server.close(); // idempotent after a failed start
            assertNoServerProcessLeft(server.baseDirectory());
        }
    }

    private static HttpResponse<String> get(ServletContainer server, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(15)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** WEB-INF/web.xml (Servlet 6.0), hello.txt = "hi", and the probe servlet. */
    private static Path explodedWebapp(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("WEB-INF/classes"));
        Files.writeString(dir.resolve("WEB-INF/web.xml"), WEB_XML.formatted(PROBE_SERVLET));
        Files.writeString(dir.resolve("hello.txt"), "hi");
        String probe = ProbeServlet.classFileResource();
        Path target = dir.resolve("WEB-INF/classes").resolve(probe);
        Files.createDirectories(target.getParent());
        try (InputStream in = ContainerSmokeIT.class.getClassLoader().getResourceAsStream(probe)) {
            if (in == null) {
                fail("Not on the test class path: " + probe);
            }
            Files.copy(in, target);
        }
        return dir;
    }

    /** A WAR with an empty Servlet 6.0 web.xml and root.txt = "root". */
    private static Path war(Path file) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("WEB-INF/"));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write(WEB_XML.formatted("").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("root.txt"));
            zip.write("root".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    private static void assertPortClosed(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            fail("Port " + port + " still accepts connections after close()");
        } catch (ConnectException expected) {
            // refused: nothing listens any more
        } catch (IOException e) {
            fail("Unexpected error connecting to port " + port + ": " + e);
        }
    }

    /** No child process of this JVM still runs with the server's base directory on its command line. */
    private static void assertNoServerProcessLeft(Path base) {
        String marker = base.toString();
        List<String> left = ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                .filter(c -> c.contains(marker))
                .toList();
        assertTrue(left.isEmpty(), () -> "Server processes left running: " + left);
    }
}
