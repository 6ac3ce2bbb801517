package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OciReferenceTest {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // text | registry | repository | tag | digest | canonical
        "oci:ghcr.io/example/hello:1.0 | ghcr.io | example/hello | 1.0 | | oci:ghcr.io/example/hello:1.0",
        "oci://ghcr.io/example/hello:1.0 | ghcr.io | example/hello | 1.0 | | oci:ghcr.io/example/hello:1.0",
        "oci:127.0.0.1:5000/wagi/hello:1 | 127.0.0.1:5000 | wagi/hello | 1 | | oci:127.0.0.1:5000/wagi/hello:1",
        "oci://localhost:5000/hello | localhost:5000 | hello | latest | | oci:localhost:5000/hello:latest",
        "oci:localhost/hello:v2 | localhost | hello | v2 | | oci:localhost/hello:v2",
        "oci:Registry.Example.COM:443/a/b/c:x_Y.z-1 | registry.example.com:443 | a/b/c | x_Y.z-1 | | oci:registry.example.com:443/a/b/c:x_Y.z-1",
        "oci:foo/bar:1.2.3 | docker.io | foo/bar | 1.2.3 | | oci:docker.io/foo/bar:1.2.3",
        "oci:hello | docker.io | library/hello | latest | | oci:docker.io/library/hello:latest",
        "oci:my_org/my-app__x.y | docker.io | my_org/my-app__x.y | latest | | oci:docker.io/my_org/my-app__x.y:latest",
    })
    void parses(String text, String registry, String repository, String tag, String digest, String canonical) {
        OciReference reference = OciReference.parse(text);
        assertEquals(registry, reference.registry());
        assertEquals(repository, reference.repository());
        assertEquals(Optional.ofNullable(tag), reference.tag());
        assertEquals(Optional.ofNullable(digest), reference.digest());
        assertEquals(canonical, reference.toString());
        assertEquals(reference, OciReference.parse(reference.toString()));
    }

    @Test
    void digestPinsTheManifest() {
        OciReference byDigest = OciReference.parse("oci:ghcr.io/example/hello@" + DIGEST);
        assertEquals(Optional.empty(), byDigest.tag());
        assertEquals(Optional.of(DIGEST), byDigest.digest());
        assertEquals(DIGEST, byDigest.manifestReference());
        assertEquals("oci:ghcr.io/example/hello@" + DIGEST, byDigest.toString());

        OciReference both = OciReference.parse("oci://127.0.0.1:5000/wagi/hello:1@" + DIGEST);
        assertEquals(Optional.of("1"), both.tag());
        assertEquals(DIGEST, both.manifestReference());
    }

    @Test
    void tagIsAskedForWithoutADigest() {
        assertEquals("1.0", OciReference.parse("oci:ghcr.io/a/b:1.0").manifestReference());
    }

    @Test
    void dockerHubIsAskedAtItsApiHost() {
        assertEquals("registry-1.docker.io", OciReference.parse("oci:foo/bar:1").apiHost());
        assertEquals("ghcr.io", OciReference.parse("oci:ghcr.io/foo/bar:1").apiHost());
        assertEquals("127.0.0.1:5000", OciReference.parse("oci:127.0.0.1:5000/foo:1").apiHost());
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci:", "oci://", "oci:ghcr.io/", "oci:ghcr.io/Example/hello:1", "oci:ghcr.io/a//b:1",
            "oci:ghcr.io/a/b:", "oci:ghcr.io/a/b:-x", "oci:ghcr.io/a/b@sha256:abc", "oci:ghcr.io/a/b@sha512:" + "ab",
            "oci:ghcr.io/a/b@", "oci:ghcr.io/a b:1", "oci:bad_host.io:5000/a:1", "oci:host:99999999/a:1", "http://x/y"})
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OciReference.parse(text));
        assertTrue(e.getMessage().contains("'"), e.getMessage());
    }
}
