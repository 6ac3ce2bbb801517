package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The registry of keys is what the docs show and what the readers know. */
class KeysTest {

    private static final Path DOC = Path.of("docs/configuration.md");

    /** The text between {@code <!-- keys: NAME -->} and {@code <!-- /keys -->}. */
    private static String section(String name) throws Exception {
        Matcher m = Pattern.compile("<!-- keys: " + name + " -->\n(.*?)<!-- /keys -->", Pattern.DOTALL).matcher(Files.readString(DOC));
        assertTrue(m.find(), "docs/configuration.md has a generated table '" + name + "'");
        return m.group(1);
    }

    @Test
    void theDocsTablesAreTheRegistrys() throws Exception {
        String route = Keys.table(Keys.ofRoute(), false);
        String settings = Keys.table(Keys.ofFilter(), true);
        Path expected = Files.createDirectories(Path.of("target")).resolve("configuration-keys.md");
        Files.writeString(expected, "<!-- keys: route -->\n" + route + "<!-- /keys -->\n\n<!-- keys: settings -->\n" + settings
                + "<!-- /keys -->\n");
        assertEquals(route, section("route"), "paste the tables of " + expected + " into " + DOC);
        assertEquals(settings, section("settings"), "paste the tables of " + expected + " into " + DOC);
    }

    @Test
    void theReadersKnowEveryKeyOfTheRegistry() {
        assertEquals(Set.of("timeout", "max_memory", "max_concurrency", "max_body_size", "max_header_size", "max_output_size",
                "max_stderr_size", "max_stderr_lines"), Limits.KEYS);
        for (Keys.Key key : Keys.ofRoute()) {
            assertTrue(RouteReader.isKnown(key.isFamily() ? key.name().replaceAll("\\.[A-Z]+$", ".x") : key.name()), key.name());
        }
        List<String> variables = Keys.variableForms(Keys.ofRoute());
        assertTrue(variables.indexOf("ALLOWED_HOSTS") < variables.indexOf("HOSTS"), "longest first: " + variables);
        assertTrue(variables.indexOf("HTTP_TIMEOUT") < variables.indexOf("TIMEOUT"), "longest first: " + variables);
    }

    @Test
    void anUnknownKeyNamesTheKnownOnes() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> WagiSettingsReader.read(Map.of("max_totl_memory", new Setting("1", "web.xml")), "web.xml"));
        for (Keys.Key key : Keys.ofFilter()) {
            assertTrue(e.getMessage().contains(key.dashed()), key.dashed() + " in " + e.getMessage());
        }
    }
}
