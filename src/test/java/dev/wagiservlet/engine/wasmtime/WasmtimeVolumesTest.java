package dev.wagiservlet.engine.wasmtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.WasmEngineProvider;
import dev.wagiservlet.engine.fs.SandboxedDirectory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes on wasmtime, with {@code files.wasm}: wasmtime's WASI (cap-std) confines paths and links
 * to the pre-opened directory, and a read-only volume is pre-opened without the capabilities to
 * create, change or remove anything. The errno values differ from Chicory's (docs/engines.md);
 * these tests hold what matters: reads work, writes to a read-only volume and every way out fail.
 */
class WasmtimeVolumesTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));
    private static CompiledModule files;

    @TempDir
    Path base;
    Path vol;

    @BeforeAll
    static void compile() throws Exception {
        files = new WasmtimeEngineProvider().create(new WasmEngineProvider.Options(false, Optional.empty()))
                .compile("files.wasm", Files.readAllBytes(MODULES.resolve("files.wasm")));
    }

    @BeforeEach
    void layout() throws IOException {
        vol = Files.createDirectories(base.resolve("vol"));
        Files.writeString(vol.resolve("a.txt"), "inside");
        Files.createDirectories(vol.resolve("sub"));
        Files.writeString(vol.resolve("sub/b.txt"), "below");
        Files.writeString(base.resolve("secret.txt"), "SECRET");
        Files.createSymbolicLink(vol.resolve("abs"), base.resolve("secret.txt"));
        Files.createSymbolicLink(vol.resolve("rel"), Path.of("../secret.txt"));
        Files.createSymbolicLink(vol.resolve("inlink"), Path.of("a.txt"));
    }

    private List<String> run(boolean writable, String... words) throws IOException {
        List<String> argv = new ArrayList<>(List.of("files.wasm"));
        argv.addAll(Arrays.asList(words));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            files.run(new WasiInvocation("_start", argv, Map.of(), Map.of("/data", SandboxedDirectory.of(vol, writable)),
                    new ByteArrayInputStream(new byte[0]), out, err));
        } catch (ModuleExecutionException e) {
            throw new AssertionError("run failed: " + e.getMessage() + "\nstderr: " + err, e);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        String header = "Content-Type: text/plain\n\n";
        assertTrue(text.startsWith(header), text);
        List<String> lines = new ArrayList<>(List.of(text.substring(header.length()).split("\n", -1)));
        lines.remove(lines.size() - 1);
        return lines;
    }

    @Test
    void readsInsideWork() throws IOException {
        assertEquals(List.of("ok inside", "ok below", "ok inside"),
                run(false, "op=read", "path=/data/a.txt", "op=read", "path=/data/sub/b.txt", "op=read", "path=/data/inlink"));
    }

    @Test
    void aReadOnlyVolumeRefusesEveryChange() throws IOException {
        List<String> out = run(false,
                "op=write", "path=/data/a.txt", "text=CHANGED",
                "op=write", "path=/data/new.txt", "text=x",
                "op=append", "path=/data/a.txt", "text=MORE",
                "op=truncate", "path=/data/a.txt",
                "op=mkdir", "path=/data/d",
                "op=unlink", "path=/data/a.txt",
                "op=rename", "from=/data/a.txt", "to=/data/b.txt",
                "op=symlink", "target=a.txt", "path=/data/l");
        assertEquals(8, out.size(), out.toString());
        for (String line : out) {
            assertTrue(line.startsWith("err "), out.toString());
        }
        assertEquals("inside", Files.readString(vol.resolve("a.txt")));
        try (Stream<Path> list = Files.list(vol)) {
            assertEquals(List.of("a.txt", "abs", "inlink", "rel", "sub"), list.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aWritableVolumeTakesWrites() throws IOException {
        assertEquals(List.of("ok", "ok"), run(true, "op=write", "path=/data/new.txt", "text=written", "op=mkdir", "path=/data/d"));
        assertEquals("written", Files.readString(vol.resolve("new.txt")));
        assertTrue(Files.isDirectory(vol.resolve("d")));
    }

    @Test
    void nothingLeadsOutside() throws IOException {
        for (boolean writable : new boolean[] {false, true}) {
            List<String> out = run(writable,
                    "op=read", "path=/data/../secret.txt",
                    "op=read", "path=/etc/passwd",
                    "op=read", "path=/data/abs",
                    "op=read", "path=/data/rel",
                    "op=write", "path=/data/../escaped.txt", "text=x",
                    "op=write", "path=/data/abs", "text=OVERWRITTEN");
            assertEquals(6, out.size(), out.toString());
            for (String line : out) {
                assertTrue(line.startsWith("err "), writable + ": " + out);
            }
        }
        assertEquals("SECRET", Files.readString(base.resolve("secret.txt")));
        try (Stream<Path> list = Files.list(base)) {
            assertEquals(List.of("secret.txt", "vol"), list.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
