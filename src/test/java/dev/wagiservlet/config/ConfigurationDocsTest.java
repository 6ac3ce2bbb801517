package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * The configuration examples of docs/configuration.md and the README are real: each one is read by
 * the real readers, and every module and volume it names exists in this repository, so it runs as
 * written. {@code /WEB-INF/wasm/X} is in the WAR, copied from {@code modules/wasm/X}; other
 * {@code /WEB-INF/} paths are under {@code webapp/}; {@code $PWD} is the repository's root.
 */
class ConfigurationDocsTest {

    private static final Path DOC = Path.of("docs/configuration.md");
    private static final Path README = Path.of("README.md");
    private static final Path ROOT = Path.of("").toAbsolutePath();

    private static String block(Path doc, String language) throws Exception {
        return block(doc, language, "");
    }

    /** The first block of that language containing the text (the README's first xml block is a Maven dependency). */
    private static String block(Path doc, String language, String containing) throws Exception {
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(doc));
        while (m.find()) {
            if (m.group(1).contains(containing)) {
                return m.group(1);
            }
        }
        throw new AssertionError(doc + " has no " + language + " example with " + containing);
    }

    private static String block(String language) throws Exception {
        return block(DOC, language);
    }

    /** The file in this repository that a location of an example names; fails for one the repository lacks. */
    private static void assertInRepository(Location location, String example) {
        Path file;
        if (location instanceof Location.WebappResource resource) {
            file = resource.path().startsWith("/WEB-INF/wasm/")
                    ? Path.of("modules/wasm").resolve(resource.path().substring("/WEB-INF/wasm/".length()))
                    : Path.of("webapp").resolve(resource.path().substring(1));
        } else if (location instanceof Location.HostFile host) {
            file = host.path();
        } else {
            throw new AssertionError(example + " names " + location + ", which this repository cannot have");
        }
        assertTrue(file.toAbsolutePath().normalize().startsWith(ROOT), example + ": " + location + " is not in the repository");
        assertTrue(Files.exists(file), example + ": " + location + " does not exist (" + file + ")");
    }

    private static void assertRunnable(List<RouteConfig> routes, String example) {
        for (RouteConfig route : routes) {
            assertInRepository(route.module(), example);
            route.volumes().values().forEach(volume -> assertInRepository(volume.host(), example));
        }
    }

    private static WagiSettings webXml(String xml) throws Exception {
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader("<root>" + xml + "</root>")));
        Map<String, String> params = new LinkedHashMap<>();
        NodeList nodes = document.getElementsByTagName("init-param");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element param = (Element) nodes.item(i);
            params.put(param.getElementsByTagName("param-name").item(0).getTextContent(),
                    param.getElementsByTagName("param-value").item(0).getTextContent());
        }
        return WagiSettingsReader.read(InitParameters.read(params, "docs"), "docs");
    }

    @Test
    void webXmlExample() throws Exception {
        WagiSettings settings = webXml(block("xml"));
        assertEquals(Optional.of(RoutePattern.parse("/healthz")), settings.healthRoute());
        assertEquals(Map.of("STAGE", "production"), settings.environment());
        assertEquals(List.of("/api/...", "/env/...", "/hello"), routes(settings.routes()));
        RouteConfig api = settings.routes().get(0);
        assertEquals(new Location.WebappResource("/WEB-INF/wasm/echo.wasm"), api.module());
        assertEquals(Set.of("POST", "PUT"), api.methods());
        assertEquals(Map.of("API_KEY", "s3cret"), api.environment());
        assertRunnable(settings.routes(), "docs/configuration.md web.xml");
    }

    @Test
    void readmeWebXmlExample() throws Exception {
        WagiSettings settings = webXml(block(README, "xml", "<filter>"));
        assertEquals(List.of("/env/...", "/hello"), routes(settings.routes()));
        assertRunnable(settings.routes(), "README web.xml");
    }

    /** The README's only other examples are shell commands; a toml or properties block there would be read here too. */
    @Test
    void readmeHasNoOtherConfigurationExamples() throws Exception {
        String readme = Files.readString(README);
        assertTrue(!readme.contains("```properties"), "README has a properties example: read it in this test");
        Matcher toml = Pattern.compile("```toml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int tomls = 0;
        while (toml.find()) {
            tomls++;
            // the README's only toml shows an oci: module: it parses, and names a registry (nothing to run here)
            List<RouteConfig> routes = ModulesToml.read(new Location.HostFile(ROOT.resolve("modules.toml")),
                    new ByteArrayInputStream(toml.group(1).getBytes(StandardCharsets.UTF_8)));
            assertEquals(List.of("/hello"), routes(routes));
            assertTrue(routes.get(0).module() instanceof Location.OciImage, routes.get(0).module().toString());
        }
        assertEquals(1, tomls, "README's toml examples: read each in this test");
    }

    @Test
    void microProfilePropertiesExample() throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(block("properties")));
        Map<String, String> byName = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> byName.put(name, properties.getProperty(name)));
        // read as the filter reads -D system properties without MicroProfile Config: the same names and keys
        WagiSettings read = WagiSettingsReader.read(SystemSettings.read(byName, Map.of()), "docs");
        assertEquals(Duration.ofSeconds(5), read.reloadInterval());
        assertEquals(List.of("/echo/...", "/hello"), routes(read.routes()));
        assertEquals(Set.of("POST"), read.routes().get(0).methods());
        assertEquals(Set.of("localhost", "127.0.0.1"), read.routes().get(1).hosts());
        assertRunnable(read.routes(), "docs/configuration.md properties");
    }

    @Test
    void environmentVariablesExample() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : block("sh").split("\n")) {
            Matcher m = Pattern.compile("export (WAGI_\\w+)=(.*)").matcher(line.strip());
            assertTrue(m.matches(), line);
            environment.put(m.group(1), m.group(2).replace("$PWD", ROOT.toString()));
        }
        WagiSettings read = WagiSettingsReader.read(SystemSettings.read(Map.of(), environment), "docs");
        assertEquals(ROOT.resolve("examples/modules.toml").toString(), read.modulesToml().orElseThrow().value());
        assertTrue(Files.isRegularFile(Path.of(read.modulesToml().orElseThrow().value())), "the modules.toml it names exists");
        assertEquals(Optional.of(RoutePattern.parse("/healthz")), read.healthRoute());
        assertEquals(Map.of("STAGE", "production"), read.environment());
        assertEquals(Map.of("GREETING", "hi"), read.routes().get(0).environment());
        assertEquals(new Location.HostFile(ROOT.resolve("modules/wasm/hello.wasm")), read.routes().get(0).module());
        assertRunnable(read.routes(), "docs/configuration.md environment variables");
        Path toml = Path.of(read.modulesToml().orElseThrow().value());
        assertRunnable(ModulesToml.read(new Location.HostFile(toml), Files.newInputStream(toml)), "examples/modules.toml");
    }

    @Test
    void modulesTomlExample() throws Exception {
        Path folder = ROOT.resolve("modules"); // where the example says to save it
        List<RouteConfig> routes = ModulesToml.read(new Location.HostFile(folder.resolve("modules.toml")),
                new ByteArrayInputStream(block("toml").getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("/", "/static/...", "/upload", "/app/..."), routes(routes));
        assertEquals(new Location.HostFile(folder.resolve("wasm/hello.wasm")), routes.get(0).module());
        assertEquals(new RouteConfig.Volume(new Location.HostFile(folder.resolve("wat")), false), routes.get(1).volumes().get("/"));
        assertEquals(Set.of("POST", "PUT"), routes.get(2).methods());
        RouteConfig app = routes.get(3);
        assertEquals("hello", app.entrypoint());
        assertEquals(List.of("https://api.example.com"), app.http().allowedHosts());
        assertEquals(4, app.http().maxConcurrency().getAsInt());
        assertEquals(Set.of("localhost"), app.hosts());
        assertRunnable(routes, "docs/configuration.md modules.toml");
    }

    /**
     * The modules.toml examples of the other docs, each read from the folder it says to save it in:
     * a guide's next to its {@code examples/LANG/hello.wasm}, outbound-http.md's in {@code modules/}.
     * (docs/migrating-from-wagi.md's is a wagi user's own file: TomcatMigrationGuideIT deploys it.)
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "docs/guides/c.md, examples/c", "docs/guides/rust.md, examples/rust", "docs/guides/go.md, examples/go",
        "docs/guides/zig.md, examples/zig", "docs/guides/assemblyscript.md, examples/assemblyscript",
        "docs/outbound-http.md, modules"})
    void otherModulesTomlExamples(String doc, String folder) throws Exception {
        String toml = block(Path.of(doc), "toml", "[[module]]");
        List<RouteConfig> routes = ModulesToml.read(new Location.HostFile(ROOT.resolve(folder).resolve("modules.toml")),
                new ByteArrayInputStream(toml.getBytes(StandardCharsets.UTF_8)));
        assertFalse(routes.isEmpty(), doc);
        assertRunnable(routes, doc + " modules.toml");
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

    /** Every oci setting has its row in docs/configuration.md and is explained in docs/oci.md. */
    @Test
    void everyOciSettingIsDocumented() throws Exception {
        String configuration = Files.readString(DOC);
        String oci = Files.readString(Path.of("docs/oci.md"));
        for (String key : OciSettings.KEYS) {
            String setting = "`" + key.replace('_', '-') + "`";
            assertTrue(Pattern.compile("(?m)^\\| [^|]*" + Pattern.quote(setting) + "[^|]* \\|").matcher(configuration).find(),
                    "docs/configuration.md lacks a settings row for " + setting);
            assertTrue(oci.contains(setting), "docs/oci.md does not mention " + setting);
        }
    }

    private static List<String> routes(List<RouteConfig> routes) {
        List<String> texts = new ArrayList<>();
        routes.forEach(route -> texts.add(route.route().text()));
        return texts;
    }
}
