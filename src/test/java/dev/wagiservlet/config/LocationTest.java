package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocationTest {

    @TempDir
    Path dir;

    @Test
    void webInfResourceIsAWebappResource() {
        assertEquals(new Location.WebappResource("/WEB-INF/wasm/hello.wasm"),
                Location.parse("/WEB-INF/wasm/hello.wasm", Location.WEBAPP_ROOT));
    }

    @Test
    void webInfResourceIsNormalised() {
        assertEquals(new Location.WebappResource("/WEB-INF/wasm/hello.wasm"),
                Location.parse("/WEB-INF/x/../wasm/./hello.wasm", Location.WEBAPP_ROOT));
    }

    @Test
    void webInfResourceStaysAWebappResourceWhateverTheBase() {
        Location base = new Location.HostFile(dir.resolve("modules.toml"));
        assertEquals(new Location.WebappResource("/WEB-INF/hello.wasm"), Location.parse("/WEB-INF/hello.wasm", base));
    }

    @Test
    void absolutePathIsAHostFile() {
        Path file = dir.resolve("hello.wasm");
        Location location = Location.parse(file.toString(), Location.WEBAPP_ROOT);
        assertEquals(new Location.HostFile(file), location);
        assertEquals(file.toString(), location.toString());
    }

    @Test
    void hostFileIsAbsoluteAndNormalised() {
        Location.HostFile file = new Location.HostFile(dir.resolve("a/../b/./c.wasm"));
        assertEquals(dir.resolve("b/c.wasm"), file.path());
        assertTrue(new Location.HostFile(Path.of("rel.wasm")).path().isAbsolute());
    }

    @Test
    void fileUrlIsAHostFile() {
        Path file = dir.resolve("hello.wasm");
        Location location = Location.parse(file.toUri().toString(), Location.WEBAPP_ROOT);
        assertEquals(new Location.HostFile(file), location);
    }

    @Test
    void fileUrlSchemeIsCaseInsensitive() {
        assertEquals(new Location.HostFile(Path.of("/opt/wasm/x.wasm")),
                Location.parse("FILE:///opt/wasm/x.wasm", Location.WEBAPP_ROOT));
    }

    @Test
    void fileUrlWithEscapesIsDecoded() {
        assertEquals(new Location.HostFile(Path.of("/opt/my wasm/x.wasm")),
                Location.parse("file:///opt/my%20wasm/x.wasm", Location.WEBAPP_ROOT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file://remotehost/x.wasm", "file:relative.wasm", "file:///a b.wasm"})
    void invalidFileUrlIsRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Location.parse(text, Location.WEBAPP_ROOT));
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertTrue(e.getMessage().contains("file:"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci:ghcr.io/example/hello:1.0", "bindle:example.com/hello/1.0.0", "https://example.com/x.wasm",
            "http://example.com/x.wasm", "oci://registry:5000/name:tag", "jar:file:/x.jar!/a.wasm"})
    void otherSchemesAreRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Location.parse(text, Location.WEBAPP_ROOT));
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankIsRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Location.parse(text, Location.WEBAPP_ROOT));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void nullIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Location.parse(null, Location.WEBAPP_ROOT));
    }

    @Test
    void relativePathResolvesAgainstHostFileFolder() {
        Location base = new Location.HostFile(dir.resolve("conf/modules.toml"));
        assertEquals(new Location.HostFile(dir.resolve("conf/wasm/hello.wasm")), Location.parse("wasm/hello.wasm", base));
        assertEquals(new Location.HostFile(dir.resolve("lib/hello.wasm")), Location.parse("../lib/hello.wasm", base));
        assertEquals(new Location.HostFile(dir.resolve("conf/hello.wasm")), Location.parse("./hello.wasm", base));
    }

    @Test
    void relativePathWithSpaceResolvesAgainstHostFileFolder() {
        Location base = new Location.HostFile(dir.resolve("modules.toml"));
        assertEquals(new Location.HostFile(dir.resolve("my modules/hello.wasm")), Location.parse("my modules/hello.wasm", base));
    }

    @Test
    void relativePathResolvesAgainstWebappResourceFolder() {
        Location base = new Location.WebappResource("/WEB-INF/modules.toml");
        assertEquals(new Location.WebappResource("/WEB-INF/wasm/hello.wasm"), Location.parse("wasm/hello.wasm", base));
        assertEquals(new Location.WebappResource("/WEB-INF/hello.wasm"), Location.parse("./hello.wasm", base));
        assertEquals(new Location.WebappResource("/static/x.wasm"), Location.parse("../static/x.wasm", base));
    }

    @Test
    void relativePathResolvesAgainstWebappRoot() {
        assertEquals(new Location.WebappResource("/wasm/hello.wasm"), Location.parse("wasm/hello.wasm", Location.WEBAPP_ROOT));
        assertEquals("webapp:/wasm/hello.wasm", Location.parse("wasm/hello.wasm", Location.WEBAPP_ROOT).toString());
    }

    @Test
    void webappRootIsSlash() {
        assertInstanceOf(Location.WebappResource.class, Location.WEBAPP_ROOT);
        assertEquals("/", ((Location.WebappResource) Location.WEBAPP_ROOT).path());
    }

    @Test
    void windowsDriveLetterIsNotTakenForAScheme() {
        // "c:" is one letter: the scheme pattern needs two, so this is not rejected as an unsupported scheme
        Location base = new Location.HostFile(dir.resolve("modules.toml"));
        Location location = Location.parse("c:hello.wasm", base);
        assertInstanceOf(Location.HostFile.class, location);
    }

    // Webapp resources are looked up with ServletContext.getRealPath/getResourceAsStream, which take the
    // literal (decoded) path; a file name with a space or a '%' must reach them unchanged.

    @Test
    void webInfResourceWithSpaceInItsName() {
        assertEquals(new Location.WebappResource("/WEB-INF/my modules/hello.wasm"),
                Location.parse("/WEB-INF/my modules/hello.wasm", Location.WEBAPP_ROOT));
    }

    @Test
    void webInfResourceWithPercentInItsNameIsNotDecoded() {
        assertEquals(new Location.WebappResource("/WEB-INF/a%41.wasm"),
                Location.parse("/WEB-INF/a%41.wasm", Location.WEBAPP_ROOT));
    }

    @Test
    void relativeWebappResourceWithSpaceInItsName() {
        Location base = new Location.WebappResource("/WEB-INF/modules.toml");
        assertEquals(new Location.WebappResource("/WEB-INF/my modules/hello.wasm"), Location.parse("my modules/hello.wasm", base));
    }

    @Test
    void aWebappPathCannotClimbAboveTheWebappRoot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Location.parse("../../etc/passwd", new Location.WebappResource("/WEB-INF/modules.toml")));
        assertTrue(e.getMessage().contains("leads outside the webapp"), e.getMessage());
    }
}
