package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
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
    @ValueSource(strings = {"bindle:example.com/hello/1.0.0", "BINDLE:example.com/hello/1.0.0",
            "jar:file:/x.jar!/a.wasm", "ftp://example.com/x.wasm", "s3://bucket/x.wasm"})
    void otherSchemesAreRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Location.parse(text, Location.WEBAPP_ROOT));
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
    }

    @Test
    void otherSchemesAreRejectedWhateverTheBase() {
        Location base = new Location.HostFile(dir.resolve("modules.toml"));
        assertThrows(IllegalArgumentException.class, () -> Location.parse("bindle:example.com/hello/1.0.0", base));
    }

    @Test
    void bindleIsRefusedAsRetired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Location.parse("bindle:example.com/hello/1.0.0", Location.WEBAPP_ROOT));
        assertTrue(e.getMessage().contains("Bindle is retired"), e.getMessage());
        assertTrue(e.getMessage().contains("oci:"), e.getMessage());
    }

    // --- oci: modules are pulled from a registry ----------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"oci:ghcr.io/example/hello:1.0", "oci://ghcr.io/example/hello:1.0", "OCI:ghcr.io/example/hello:1.0"})
    void ociReferenceIsAnOciImageWhateverTheBase(String text) {
        Location base = new Location.HostFile(dir.resolve("modules.toml"));
        Location location = Location.parse(text, base);
        assertEquals(new Location.OciImage(new OciReference("ghcr.io", "example/hello", Optional.of("1.0"),
                Optional.empty())), location);
        assertEquals("oci:ghcr.io/example/hello:1.0", location.toString());
        assertThrows(IllegalArgumentException.class, () -> location.resolve("other.wasm"));
    }

    @Test
    void badOciReferenceNamesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Location.parse("oci:ghcr.io/Example/hello:1.0", Location.WEBAPP_ROOT));
        assertTrue(e.getMessage().contains("oci:ghcr.io/Example/hello:1.0"), e.getMessage());
    }

    // --- http(s): modules are downloaded ------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/x.wasm", "http://example.com/x.wasm", "https://example.com:8443/wasm/x.wasm?v=1",
            "http://127.0.0.1:8080/x.wasm", "https://[::1]/x.wasm"})
    void httpAndHttpsAreRemoteUrls(String text) {
        Location location = Location.parse(text, Location.WEBAPP_ROOT);
        assertEquals(new Location.RemoteUrl(URI.create(text)), location);
        assertEquals(text, location.toString());
    }

    @Test
    void httpSchemeIsCaseInsensitive() {
        assertInstanceOf(Location.RemoteUrl.class, Location.parse("HTTPS://example.com/x.wasm", Location.WEBAPP_ROOT));
        assertInstanceOf(Location.RemoteUrl.class, Location.parse("Http://example.com/x.wasm", Location.WEBAPP_ROOT));
    }

    @Test
    void remoteUrlStaysRemoteWhateverTheBase() {
        Location base = new Location.HostFile(dir.resolve("modules.toml"));
        assertEquals(new Location.RemoteUrl(URI.create("https://example.com/x.wasm")), Location.parse("https://example.com/x.wasm", base));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https:///x.wasm", "https:x.wasm", "http:/x.wasm"})
    void urlWithoutHostIsRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Location.parse(text, Location.WEBAPP_ROOT));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://exa mple.com/x.wasm", "https://example.com/a b.wasm", "http://example.com/%zz"})
    void malformedUrlIsRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Location.parse(text, Location.WEBAPP_ROOT));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void relativePathResolvesAgainstRemoteUrl() {
        Location base = new Location.RemoteUrl(URI.create("https://example.com/conf/modules.toml"));
        assertEquals(new Location.RemoteUrl(URI.create("https://example.com/conf/wasm/x.wasm")), Location.parse("wasm/x.wasm", base));
        assertEquals(new Location.RemoteUrl(URI.create("https://example.com/x.wasm")), Location.parse("../x.wasm", base));
        assertEquals(new Location.RemoteUrl(URI.create("https://example.com/conf/x.wasm")), Location.parse("./x.wasm", base));
    }

    // --- classpath: -----------------------------------------------------------------------------------

    @Test
    void classpathResource() {
        Location location = Location.parse("classpath:wasm/hello.wasm", Location.WEBAPP_ROOT);
        assertEquals(new Location.ClasspathResource("wasm/hello.wasm"), location);
        assertEquals("classpath:wasm/hello.wasm", location.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"classpath:/wasm/hello.wasm", "classpath:wasm/./hello.wasm", "classpath:wasm/x/../hello.wasm",
            "classpath://wasm//hello.wasm", "CLASSPATH:wasm/hello.wasm", "ClassPath:./wasm/hello.wasm"})
    void classpathResourceIsNormalised(String text) {
        assertEquals(new Location.ClasspathResource("wasm/hello.wasm"), Location.parse(text, Location.WEBAPP_ROOT));
    }

    @Test
    void classpathResourceStaysOnTheClasspathWhateverTheBase() {
        Location base = new Location.HostFile(dir.resolve("modules.toml"));
        assertEquals(new Location.ClasspathResource("hello.wasm"), Location.parse("classpath:hello.wasm", base));
    }

    @ParameterizedTest
    @ValueSource(strings = {"classpath:", "classpath:/", "classpath:.", "classpath:./", "classpath:a/.."})
    void classpathWithoutNameIsRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Location.parse(text, Location.WEBAPP_ROOT));
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertTrue(e.getMessage().contains("no class path resource"), e.getMessage());
    }

    @Test
    void classpathCannotClimbAboveItsRoot() {
        assertThrows(IllegalArgumentException.class, () -> Location.parse("classpath:../x.wasm", Location.WEBAPP_ROOT));
    }

    @Test
    void relativePathResolvesAgainstClasspathFolder() {
        Location base = new Location.ClasspathResource("conf/modules.toml");
        assertEquals(new Location.ClasspathResource("conf/wasm/x.wasm"), Location.parse("wasm/x.wasm", base));
        assertEquals(new Location.ClasspathResource("conf/x.wasm"), Location.parse("./x.wasm", base));
        assertEquals(new Location.ClasspathResource("x.wasm"), Location.parse("../x.wasm", base));
        assertEquals(new Location.ClasspathResource("lib/x.wasm"), Location.parse("../lib/./x.wasm", base));
    }

    @Test
    void relativePathResolvesAgainstTopLevelClasspathResource() {
        Location base = new Location.ClasspathResource("modules.toml");
        assertEquals(new Location.ClasspathResource("x.wasm"), Location.parse("x.wasm", base));
        assertEquals(new Location.ClasspathResource("wasm/x.wasm"), Location.parse("wasm/x.wasm", base));
    }

    @Test
    void relativePathCannotClimbAboveTheClasspathRoot() {
        Location base = new Location.ClasspathResource("conf/modules.toml");
        assertThrows(IllegalArgumentException.class, () -> Location.parse("../../x.wasm", base));
    }

    @Test
    void absoluteReferencesFromAClasspathBaseAreNotClasspathResources() {
        Location base = new Location.ClasspathResource("conf/modules.toml");
        assertEquals(new Location.WebappResource("/WEB-INF/x.wasm"), Location.parse("/WEB-INF/x.wasm", base));
        assertEquals(new Location.HostFile(dir.resolve("x.wasm")), Location.parse(dir.resolve("x.wasm").toString(), base));
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
