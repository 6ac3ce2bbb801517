package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServletContainer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/migrating-from-wagi.md is true: its modules.toml, as it stands in the guide (with wagi's
 * keys this project ignores), serves from the unchanged WAR deployed as ROOT in Tomcat, with the
 * environment variables the guide sets, and a wagi env file turned into properties as the guide
 * says.
 */
class TomcatMigrationGuideIT {

    private static final Path GUIDE = Path.of("docs/migrating-from-wagi.md");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static String block(String language) throws Exception {
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(GUIDE));
        assertTrue(m.find(), "the guide has a " + language + " example");
        return m.group(1);
    }

    @Test
    void theGuidesModulesTomlServesUnchanged(@TempDir Path work) throws Exception {
        Path wagi = work.resolve("srv-wagi");
        Files.createDirectories(wagi.resolve("modules"));
        Files.copy(TestWebapps.module("hello"), wagi.resolve("modules/hello.wasm"));
        Files.copy(TestWebapps.module("env"), wagi.resolve("modules/env.wasm"));
        Files.copy(TestWebapps.module("files"), wagi.resolve("modules/fileserver.wasm"));
        Files.createDirectories(wagi.resolve("static"));
        Files.writeString(wagi.resolve("static/index.txt"), "static content");
        Path toml = Files.writeString(wagi.resolve("modules.toml"), block("toml"));

        // the guide's recipe for an env file: drop comments and blank lines, prefix wagi.environment.
        String envFile = "# wagi --env-file\nGREETING=hello there\n\nSTAGE=production\n";
        Path properties = Files.writeString(work.resolve("environment.properties"), envFile.lines()
                .filter(line -> !line.startsWith("#") && !line.isEmpty())
                .map(line -> "wagi.environment." + line)
                .collect(Collectors.joining("\n", "", "\n")));

        ServletContainer container = ServletContainer.tomcat().deploy("", TestWebapps.war());
        Map<String, String> exports = exports(block("sh"));
        assertEquals("/healthz", exports.get("WAGI_HEALTH_ROUTE"));
        exports.forEach(container::env);
        container.env("WAGI_MODULES_TOML", toml.toString()); // the guide's /srv/wagi/modules.toml, here
        container.env("SMALLRYE_CONFIG_LOCATIONS", properties.toString());
        try (ServletContainer tomcat = container.start()) {
            assertEquals("Hello, world!\n", get(tomcat, "/hello").body());

            HttpResponse<String> env = get(tomcat, "/env/a/b?x=1&y=2");
            assertEquals(200, env.statusCode());
            Map<String, String> vars = WagiFilterContract.env(env.body());
            assertEquals("/env", vars.get("SCRIPT_NAME"), "ROOT: wagi's URLs");
            assertEquals("/a/b", vars.get("PATH_INFO"));
            assertEquals("hello there", vars.get("GREETING"), "from the env file");
            assertEquals("production", vars.get("STAGE"));
            assertTrue(env.body().contains("argv[0]=/env/a/b\nargv[1]=x=1\nargv[2]=y=2\n"), "the argv template: " + env.body());

            String read = get(tomcat, "/static/x?op=read&path=/index.txt").body();
            assertTrue(read.strip().endsWith("ok static content"), "a volume relative to the toml's folder: " + read);
            String write = get(tomcat, "/static/x?op=write&path=/new.txt&text=x").body();
            assertTrue(write.strip().endsWith("err 69 EROFS") || write.contains("err 69"), "read-only unless writable_volumes: " + write);

            assertEquals("OK", get(tomcat, "/healthz").body());
            HttpResponse<String> echo = http.send(HttpRequest.newBuilder(tomcat.uri("/echo")).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("still the demo")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("still the demo", echo.body(), "the demo's /echo, which the guide's toml does not replace, stays");
            assertTrue(tomcat.log().contains("demo route(s) of the WAR replaced by your own: /env/... (by "), "the guide's routes win");
            String log = tomcat.log();
            assertTrue(log.contains("ignoring unknown top-level key 'default_host'"), "warned, not fatal");
            assertTrue(log.contains("key 'repository': ignored"), "wagi's reserved key warned about");
        }
    }

    /** The variables of the {@code export NAME=VALUE ...} lines of a shell block (comments dropped). */
    private static Map<String, String> exports(String sh) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : sh.lines().toList()) {
            if (line.startsWith("export ")) {
                String words = line.substring("export ".length()).replaceAll("\\s#.*$", "").trim();
                for (String word : words.split("\\s+")) {
                    int equals = word.indexOf('=');
                    variables.put(word.substring(0, equals), word.substring(equals + 1));
                }
            }
        }
        return variables;
    }

    private HttpResponse<String> get(ServletContainer tomcat, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(tomcat.uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
