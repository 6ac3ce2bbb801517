package dev.wagiservlet.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {

    @TempDir
    Path dir;

    private static String auth(String userColonPassword) {
        return Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private Path config(String json) throws IOException {
        return Files.writeString(dir.resolve("config.json"), json);
    }

    @Test
    void locationAsTheDockerCliLooks() {
        assertEquals(Path.of("/etc/docker-x/config.json"), DockerConfig.defaultLocation(Map.of("DOCKER_CONFIG", "/etc/docker-x"), "/home/u"));
        assertEquals(Path.of("/home/u/.docker/config.json"), DockerConfig.defaultLocation(Map.of(), "/home/u"));
        assertEquals(Path.of("/home/u/.docker/config.json"), DockerConfig.defaultLocation(Map.of("DOCKER_CONFIG", ""), "/home/u"));
    }

    @Test
    void authOfTheRegistry() throws IOException {
        Path file = config("""
                {"auths":{"127.0.0.1:5000":{"auth":"%s"},"https://ghcr.io":{"auth":"%s"},
                          "https://index.docker.io/v1/":{"auth":"%s"}}}
                """.formatted(auth("alice:pa:ss"), auth("bob:token"), auth("carol:hub")));
        assertEquals(Optional.of(new Credentials("alice", "pa:ss")), DockerConfig.credentials(file, "127.0.0.1:5000"));
        assertEquals(Optional.of(new Credentials("bob", "token")), DockerConfig.credentials(file, "ghcr.io"));
        assertEquals(Optional.of(new Credentials("carol", "hub")), DockerConfig.credentials(file, "docker.io"));
        assertEquals(Optional.empty(), DockerConfig.credentials(file, "127.0.0.1:5001"));
    }

    @Test
    void usernameAndPasswordFields() throws IOException {
        Path file = config("{\"auths\":{\"registry.local\":{\"username\":\"u\",\"password\":\"p\"}}}");
        assertEquals(Optional.of(new Credentials("u", "p")), DockerConfig.credentials(file, "registry.local"));
    }

    @Test
    void missingFileHasNoCredentials() throws IOException {
        assertEquals(Optional.empty(), DockerConfig.credentials(dir.resolve("none.json"), "ghcr.io"));
        assertEquals(Optional.empty(), DockerConfig.credentials(config("{}"), "ghcr.io"));
        assertEquals(Optional.empty(), DockerConfig.credentials(config("{\"credsStore\":\"desktop\"}"), "ghcr.io"));
    }

    @Test
    void brokenFileNamesItself() throws IOException {
        Path file = config("{\"auths\":");
        IOException e = assertThrows(IOException.class, () -> DockerConfig.credentials(file, "ghcr.io"));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        Path notBase64 = config("{\"auths\":{\"ghcr.io\":{\"auth\":\"!!!\"}}}");
        assertTrue(assertThrows(IOException.class, () -> DockerConfig.credentials(notBase64, "ghcr.io")).getMessage().contains("base64"));
        Path noColon = config("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + auth("nocolon") + "\"}}}");
        assertThrows(IOException.class, () -> DockerConfig.credentials(noColon, "ghcr.io"));
    }

    @Test
    void registryNamesAreNormalized() {
        assertEquals("docker.io", DockerConfig.normalize("https://index.docker.io/v1/"));
        assertEquals("docker.io", DockerConfig.normalize("registry-1.docker.io"));
        assertEquals("ghcr.io", DockerConfig.normalize("https://GHCR.io"));
        assertEquals("127.0.0.1:5000", DockerConfig.normalize("http://127.0.0.1:5000/v2/"));
    }

    @Test
    void credentialsDoNotShowThePassword() {
        Credentials c = new Credentials("alice", "secret");
        assertTrue(!c.toString().contains("secret"));
        assertEquals("Basic " + auth("alice:secret"), c.basic());
    }
}
