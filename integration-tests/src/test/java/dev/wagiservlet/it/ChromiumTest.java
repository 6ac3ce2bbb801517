package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the browser tests find Chromium: -Dchromium, else the PATH. */
class ChromiumTest {

    @TempDir
    Path dir;

    private Path executable(String folder, String name) throws IOException {
        Path file = Files.createDirectories(dir.resolve(folder)).resolve(name);
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void thePropertyWins() throws IOException {
        Path named = executable("opt", "my-chrome");
        executable("bin", "chromium");
        assertEquals(named, Chromium.locate(named.toString(), dir.resolve("bin").toString()));
    }

    @Test
    void aPropertyThatNamesNoExecutableFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> Chromium.locate(dir.resolve("none").toString(), ""));
        assertTrue(e.getMessage().contains("-Dchromium="), e.getMessage());
    }

    @Test
    void foundOnThePathByAnyOfItsNames() throws IOException {
        Path chrome = executable("b", "google-chrome");
        Files.createDirectories(dir.resolve("a"));
        assertEquals(chrome, Chromium.locate(null, dir.resolve("a") + File.pathSeparator + dir.resolve("b")));
        Path chromium = executable("a", "chromium-browser");
        assertEquals(chromium, Chromium.locate("", dir.resolve("a") + File.pathSeparator + dir.resolve("b")),
                "the first folder on the PATH that has one");
    }

    @Test
    void aMissingChromiumSaysWhatToDo() {
        AssertionError e = assertThrows(AssertionError.class, () -> Chromium.locate(null, dir.toString(), dir.resolve("empty")));
        assertTrue(e.getMessage().contains("apt-get install -y chromium") && e.getMessage().contains("-Dchromium="), e.getMessage());
    }
}
