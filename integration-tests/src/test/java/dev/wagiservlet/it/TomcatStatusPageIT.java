package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagiservlet.it.support.ServletContainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The status page in Apache Tomcat 11, with the container's own authentication: the drop-in WAR at
 * {@code /wagi} has no login-config, so the page checks HTTP Basic against the container's realm
 * itself (here a MemoryRealm in the webapp's {@code META-INF/context.xml}; in production usually
 * {@code tomcat-users.xml}); {@code /secured} is the same WAR with a BASIC login-config, so Tomcat
 * authenticates. And the page as a person sees it, in Debian's headless Chromium.
 */
class TomcatStatusPageIT extends StatusPageContract {

    private static final String ADMIN = basic("admin", "s3cret!");
    private static final String VIEWER = basic("viewer", "s3cret!");

    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }

    @Override
    Path war(Path work) throws Exception {
        return explodedWar(work, "wagi-war", false);
    }

    @Override
    void deployMore(ServletContainer container, Path work) throws Exception {
        container.deploy("/secured", explodedWar(work, "secured-war", true));
    }

    /** The WAR, unpacked, with a realm of two users in its context.xml and, if asked, a BASIC login-config. */
    private static Path explodedWar(Path work, String name, boolean loginConfig) throws IOException {
        Path dir = work.resolve(name);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(TestWebapps.war()))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("bad entry " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        Path users = Files.writeString(work.resolve(name + "-users.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <tomcat-users>
                  <user username="admin" password="s3cret!" roles="wagi-admin"/>
                  <user username="viewer" password="s3cret!" roles="staff"/>
                </tomcat-users>
                """);
        Files.createDirectories(dir.resolve("META-INF"));
        Files.writeString(dir.resolve("META-INF/context.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Context>
                  <Realm className="org.apache.catalina.realm.MemoryRealm" pathname="%s"/>
                </Context>
                """.formatted(users.toAbsolutePath()));
        if (loginConfig) {
            Path webXml = dir.resolve("WEB-INF/web.xml");
            String xml = Files.readString(webXml);
            Files.writeString(webXml, xml.replace("</web-app>", """
                      <login-config><auth-method>BASIC</auth-method><realm-name>wagi-secured</realm-name></login-config>
                      <security-role><role-name>wagi-admin</role-name></security-role>
                    </web-app>"""));
        }
        return dir;
    }

    @Test
    void theDropInWarChecksBasicAgainstTheContainersRealm() throws Exception {
        assertEquals(200, get("/wagi/hello", null).statusCode());
        HttpResponseCheck.status(401, get("/wagi/wagi-status", basic("admin", "wrong")));
        HttpResponseCheck.status(403, get("/wagi/wagi-status", VIEWER));
        var response = get("/wagi/wagi-status?format=json", ADMIN);
        HttpResponseCheck.status(200, response);
        JsonNode status = json.readTree(response.body());
        assertEquals("/wagi", status.get("webapp").asText());
        Set<String> routes = new HashSet<>();
        status.get("routes").forEach(route -> routes.add(route.get("route").asText()));
        assertEquals(Set.of("/hello", "/echo", "/env/...", "/trap"), routes);
        assertTrue(route(status, "/hello").get("requests").asLong() >= 1);
        assertTrue(route(status, "/hello").get("module").asText().endsWith("WEB-INF/wasm/hello.wasm"));
    }

    @Test
    void aLoginConfigLetsTheContainerAuthenticate() throws Exception {
        var challenge = get("/secured/wagi-status", null);
        HttpResponseCheck.status(401, challenge);
        assertTrue(challenge.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Basic realm=\"wagi-secured\""),
                "Tomcat's own BasicAuthenticator answered, with the login-config's realm name");
        HttpResponseCheck.status(403, get("/secured/wagi-status", VIEWER));
        HttpResponseCheck.status(200, get("/secured/wagi-status", ADMIN));
    }

    @Test
    void aRealBrowserShowsTheRoutesAndTheirMetrics() throws Exception {
        Chromium chromium = Chromium.find(work.resolve("chromium"));
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get("/wagi/hello", null).statusCode());
        }
        assertEquals(200, get("/wagi/env/a/b?x=1", null).statusCode());
        assertEquals(500, get("/wagi/trap", null).statusCode());
        URI page = URI.create("http://admin:s3cret!@127.0.0.1:" + container.port() + "/wagi/wagi-status");

        String dom = chromium.dumpDom(page);
        assertTrue(dom.contains("<h1>WAGI status</h1>"), "the page, not a 401:\n" + dom);
        for (String text : List.of("<code>/hello</code>", "<code>/echo</code>", "<code>/env/...</code>", "<code>/trap</code>",
                "<code>hello.wasm</code>", "<code>_start</code>", "compiled", "trap 1")) {
            assertTrue(dom.contains(text), text + " in the DOM:\n" + dom);
        }
        Matcher hello = Pattern.compile("<code>/hello</code>.*?<td>2xx (\\d+)</td>", Pattern.DOTALL).matcher(dom);
        assertTrue(hello.find() && Integer.parseInt(hello.group(1)) >= 5, "the 5 requests to /hello:\n" + dom);

        Path png = chromium.screenshot(page, Path.of(System.getProperty("it.work.dir", "target/it-work"))
                .resolve("status-page-tomcat.png"), 1400, 900);
        BufferedImage image;
        try (InputStream in = Files.newInputStream(png)) {
            image = ImageIO.read(in);
        }
        assertEquals(1400, image.getWidth());
        assertEquals(900, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        long dark = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                int luminance = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                if (luminance < 3 * 100) {
                    dark++;
                }
            }
        }
        assertTrue(colours.size() > 20, "rendered text and boxes, not a blank page: " + colours.size() + " colours");
        assertTrue(dark > 500, "dark text on the light page: " + dark + " dark pixels");
    }

    /** Assertions with the body in the message. */
    private static final class HttpResponseCheck {
        static void status(int expected, HttpResponse<String> response) {
            assertEquals(expected, response.statusCode(), response.uri() + ": " + response.body());
        }
    }
}
