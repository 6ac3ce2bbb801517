package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.routing.RoutePattern;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The examples in docs/configuration.md are real: each one is read by the real readers. */
class ConfigurationDocsTest {

    private static final Path DOC = Path.of("docs/configuration.md");

    private static String block(String language) throws Exception {
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        assertTrue(m.find(), "docs/configuration.md has no " + language + " example");
        return m.group(1);
    }

    @Test
    void webXmlExample() throws Exception {
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader("<root>" + block("xml") + "</root>")));
        Map<String, String> params = new LinkedHashMap<>();
        NodeList nodes = document.getElementsByTagName("init-param");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element param = (Element) nodes.item(i);
            params.put(param.getElementsByTagName("param-name").item(0).getTextContent(),
                    param.getElementsByTagName("param-value").item(0).getTextContent());
        }
        WagiSettings settings = WagiSettingsReader.read(InitParameters.read(params, "docs"), "docs");
        assertEquals(Optional.of(RoutePattern.parse("/healthz")), settings.healthRoute());
        assertEquals(Map.of("STAGE", "production"), settings.environment());
        assertEquals(List.of("/api/...", "/files/...", "/hello"), routes(settings.routes()));
        RouteConfig api = settings.routes().get(0);
        assertEquals(new Location.ClasspathResource("wasm/api.wasm"), api.module());
        assertEquals(Set.of("GET", "POST"), api.methods());
        assertEquals(Map.of("API_KEY", "s3cret"), api.environment());
        assertEquals(new RouteConfig.Volume(new Location.HostFile(Path.of("/srv/static")), false),
                settings.routes().get(1).volumes().get("/"));
    }

    @Test
    void microProfilePropertiesExample() throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(block("properties")));
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            assertTrue(name.startsWith("wagi."), name);
            settings.put(WagiSettingsReader.canonical(name.substring(5)), new Setting(properties.getProperty(name), name));
        }
        WagiSettings read = WagiSettingsReader.read(settings, "docs");
        assertEquals("/etc/wagi/modules.toml", read.modulesToml().orElseThrow().value());
        assertEquals(Duration.ofSeconds(5), read.reloadInterval());
        assertEquals(List.of("/data/...", "/hello"), routes(read.routes()));
        assertEquals(new RouteConfig.Volume(new Location.HostFile(Path.of("/srv/data")), true), read.routes().get(0).volumes().get("/data"));
        assertEquals(Set.of("example.com", "www.example.com"), read.routes().get(1).hosts());
    }

    @Test
    void environmentVariablesExample() throws Exception {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (String line : block("sh").split("\n")) {
            Matcher m = Pattern.compile("export WAGI_(\\w+)=(.*)").matcher(line.strip());
            assertTrue(m.matches(), line);
            String key = SettingNames.fromEnvironmentName(m.group(1));
            assertTrue(key != null, line);
            settings.put(key, new Setting(m.group(2), line));
        }
        WagiSettings read = WagiSettingsReader.read(settings, "docs");
        assertEquals("/etc/wagi/modules.toml", read.modulesToml().orElseThrow().value());
        assertEquals(Optional.of(RoutePattern.parse("/healthz")), read.healthRoute());
        assertEquals(Map.of("STAGE", "production"), read.environment());
        assertEquals(Map.of("GREETING", "hi"), read.routes().get(0).environment());
        assertEquals(new Location.HostFile(Path.of("/opt/wasm/hello.wasm")), read.routes().get(0).module());
    }

    @Test
    void modulesTomlExample() throws Exception {
        List<RouteConfig> routes = ModulesToml.read(new Location.HostFile(Path.of("/etc/wagi/modules.toml")),
                new ByteArrayInputStream(block("toml").getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("/", "/static/...", "/uploads/...", "/app/..."), routes(routes));
        assertEquals(new Location.HostFile(Path.of("/etc/wagi/index.wasm")), routes.get(0).module());
        assertEquals(new RouteConfig.Volume(new Location.HostFile(Path.of("/etc/wagi/static")), false), routes.get(1).volumes().get("/"));
        assertTrue(routes.get(2).volumes().get("/uploads").writable());
        RouteConfig app = routes.get(3);
        assertTrue(app.module() instanceof Location.RemoteUrl);
        assertEquals("handle", app.entrypoint());
        assertEquals(List.of("https://api.example.com"), app.http().allowedHosts());
        assertEquals(4, app.http().maxConcurrency().getAsInt());
        assertEquals(Set.of("app.example.com"), app.hosts());
    }

    /** Every limit key is in both tables of docs/configuration.md, and has its row, with its default, in docs/limits.md. */
    @Test
    void everyLimitIsDocumented() throws Exception {
        String configuration = Files.readString(DOC);
        String limits = Files.readString(Path.of("docs/limits.md"));
        for (String key : Limits.KEYS) {
            assertTrue(configuration.contains("`" + key + "`"), "docs/configuration.md lacks the route key " + key);
            assertTrue(configuration.contains("`" + key.replace('_', '-') + "`"), "docs/configuration.md lacks the setting " + key);
            assertTrue(Pattern.compile("(?m)^\\| `" + key + "` \\| [^|]+ \\| [^|]+ \\| [^|]+ \\|$").matcher(limits).find(),
                    "docs/limits.md lacks a row | key | default | when exceeded | what happens | for " + key);
        }
    }

    private static List<String> routes(List<RouteConfig> routes) {
        List<String> texts = new ArrayList<>();
        routes.forEach(route -> texts.add(route.route().text()));
        return texts;
    }
}
