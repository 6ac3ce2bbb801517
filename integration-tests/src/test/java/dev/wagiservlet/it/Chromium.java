package dev.wagiservlet.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's: {@code apt-get install chromium}; .ci/run installs it; or any
 * Chromium or Chrome named by {@code -Dchromium=PATH} or found on the PATH), run as a
 * command for one page at a time: its DOM after loading, or a screenshot. Missing Chromium is an
 * error, not a reason to skip: a browser test that does not run proves nothing.
 */
final class Chromium {

    private static final long TIMEOUT_SECONDS = 90;

    private final Path executable;
    private final Path work;

    private Chromium(Path executable, Path work) {
        this.executable = executable;
        this.work = work;
    }

    /** Names Chromium has on the PATH, by distribution. */
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    /**
     * Finds Chromium: the system property {@code chromium} ({@code mvn verify -Dchromium=/path/to/chrome}),
     * else the first of its usual names on the PATH; or fails saying how to install it.
     */
    static Chromium find(Path work) {
        return new Chromium(locate(System.getProperty("chromium"), System.getenv("PATH")), work);
    }

    /** The executable that the property names, or else the first of {@link #NAMES} found on the path or in /usr/bin. */
    static Path locate(String property, String path) {
        return locate(property, path, Path.of("/usr/bin")); // where Debian's package puts it, should the PATH lack it
    }

    /** As {@link #locate(String, String)}, with the folder looked in after the path. */
    static Path locate(String property, String path, Path fallback) {
        if (property != null && !property.isBlank()) {
            Path named = Path.of(property.strip());
            if (!Files.isRegularFile(named) || !Files.isExecutable(named)) {
                throw new AssertionError("-Dchromium=" + property + " is not an executable file");
            }
            return named;
        }
        List<Path> folders = new ArrayList<>();
        for (String folder : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!folder.isBlank()) {
                folders.add(Path.of(folder));
            }
        }
        folders.add(fallback);
        for (Path folder : folders) { // in the PATH's order, as a shell would
            for (String name : NAMES) {
                Path candidate = folder.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError("Chromium is not installed (looked for " + String.join(", ", NAMES) + " on the PATH):"
                + " install it with 'apt-get install -y chromium' (.ci/run does), or name it with -Dchromium=/path/to/chrome");
    }

    /** The page's DOM, serialized, after it loaded. */
    String dumpDom(URI page) {
        return new String(run(List.of("--dump-dom", page.toString()), "dom").stdout, StandardCharsets.UTF_8);
    }

    /** A PNG screenshot of the page in a window of this size. */
    Path screenshot(URI page, Path png, int width, int height) {
        Result result = run(List.of("--window-size=" + width + "," + height, "--hide-scrollbars",
                "--screenshot=" + png.toAbsolutePath(), page.toString()), "screenshot");
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("Chromium wrote no screenshot; it said:\n" + result.output());
        }
        return png;
    }

    private record Result(byte[] stdout, String stderr) {
        String output() {
            return new String(stdout, StandardCharsets.UTF_8) + "\n" + stderr;
        }
    }

    private Result run(List<String> arguments, String what) {
        try {
            Path profile = Files.createTempDirectory(Files.createDirectories(work), "chromium-profile-");
            Path out = work.resolve("chromium-" + what + ".out");
            Path err = work.resolve("chromium-" + what + ".err");
            List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
            command.addAll(arguments);
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("Chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
            Result result = new Result(Files.readAllBytes(out), Files.readString(err));
            if (process.exitValue() != 0) {
                throw new AssertionError("Chromium exited with " + process.exitValue() + ": " + command + "\n" + result.output());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while Chromium ran", e);
        }
    }
}
