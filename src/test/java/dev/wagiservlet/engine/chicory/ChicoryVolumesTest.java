package dev.wagiservlet.engine.chicory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.fs.SandboxedDirectory.Refusal;
import dev.wagiservlet.engine.fs.SandboxedDirectory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Volumes through Chicory, with {@code files.wasm} (modules/c/files.c) doing the file operations a
 * module would. The temp directory holds the volume {@code vol} (seen as {@code /data}) and, beside
 * it, things the module must never reach: {@code secret.txt} and {@code outdir/x.txt}; the volume
 * holds links that lead there.
 */
class ChicoryVolumesTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));
    private static final Map<Boolean, CompiledModule> COMPILED = new ConcurrentHashMap<>();

    private static final String EROFS = "err 69 EROFS";
    private static final String ENOTCAPABLE = "err 76 ENOTCAPABLE";

    @TempDir
    Path base;
    Path vol;

    @BeforeEach
    void layout() throws IOException {
        vol = Files.createDirectories(base.resolve("vol"));
        Files.writeString(vol.resolve("a.txt"), "inside");
        Files.createDirectories(vol.resolve("sub"));
        Files.writeString(vol.resolve("sub/b.txt"), "below");
        Files.writeString(base.resolve("secret.txt"), "SECRET");
        Files.createDirectories(base.resolve("outdir"));
        Files.writeString(base.resolve("outdir/x.txt"), "OUTX");
        Files.createSymbolicLink(vol.resolve("abs"), base.resolve("secret.txt"));     // absolute, to a file outside
        Files.createSymbolicLink(vol.resolve("rel"), Path.of("../secret.txt"));       // relative, to a file outside
        Files.createSymbolicLink(vol.resolve("dirlink"), base.resolve("outdir"));     // absolute, to a directory outside
        Files.createSymbolicLink(vol.resolve("dirrel"), Path.of("../outdir"));        // relative, to a directory outside
        Files.createSymbolicLink(vol.resolve("inlink"), Path.of("a.txt"));            // relative, inside
        Files.createSymbolicLink(vol.resolve("sub/up"), Path.of("../a.txt"));         // relative from a subdirectory, inside
        Files.createSymbolicLink(vol.resolve("absin"), vol.resolve("sub/b.txt"));     // absolute, inside
    }

    private static CompiledModule files(boolean compile) {
        return COMPILED.computeIfAbsent(compile, c -> {
            try {
                return new ChicoryEngine(c).compile("files.wasm", Files.readAllBytes(MODULES.resolve("files.wasm")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs files.wasm with the words as argv; returns its output lines after the header block. */
    private static List<String> run(boolean compile, Map<String, Path> volumes, String... words) {
        List<String> argv = new ArrayList<>(List.of("files.wasm"));
        argv.addAll(Arrays.asList(words));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            files(compile).run(new WasiInvocation("_start", argv, Map.of(), volumes,
                    new ByteArrayInputStream(new byte[0]), out, err));
        } catch (ModuleExecutionException e) {
            throw new AssertionError("run failed: " + e.getMessage() + "\nstderr: " + err, e);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        String header = "Content-Type: text/plain\n\n";
        assertTrue(text.startsWith(header), text);
        List<String> lines = new ArrayList<>(List.of(text.substring(header.length()).split("\n", -1)));
        assertEquals("", lines.remove(lines.size() - 1), "the output ends with a newline");
        return lines;
    }

    private Map<String, Path> data(boolean writable) {
        return Map.of("/data", sandbox(vol, writable));
    }

    private static Path sandbox(Path dir, boolean writable) {
        try {
            return SandboxedDirectory.of(dir, writable);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything under dir, without following links: relative path to type and content (or link target) and mtime. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String key = dir.relativize(p).toString();
                FileTime mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                if (Files.isSymbolicLink(p)) {
                    state.put(key, "link " + Files.readSymbolicLink(p) + " " + mtime);
                } else if (Files.isDirectory(p)) {
                    state.put(key, "dir " + mtime);
                } else {
                    state.put(key, "file " + Files.readString(p) + " " + mtime);
                }
            }
        }
        return state;
    }

    @Test
    void refusalErrnosAreChicorysEroFsAndNotCapable() throws ReflectiveOperationException {
        assertEquals(chicoryErrno("EROFS"), Refusal.READ_ONLY.errno());
        assertEquals(chicoryErrno("ENOTCAPABLE"), Refusal.OUTSIDE.errno());
        assertEquals(chicoryErrno("ENOTCAPABLE"), ChicoryVolumes.ENOTCAPABLE);
        assertEquals(chicoryErrno("ESUCCESS"), ChicoryVolumes.ESUCCESS);
    }

    /** The value of a constant of Chicory's WasiErrno, which is not public. */
    private static int chicoryErrno(String name) throws ReflectiveOperationException {
        Class<?> type = Class.forName("com.dylibso.chicory.wasi.WasiErrno");
        Field field = type.getField(name);
        field.setAccessible(true);
        Object constant = field.get(null);
        Method value = type.getMethod("value");
        value.setAccessible(true);
        return (int) value.invoke(constant);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readsInsideWork(boolean compile) {
        assertEquals(List.of(
                        "ok inside",
                        "ok below",
                        "ok inside",     // inlink -> a.txt
                        "ok inside",     // sub/up -> ../a.txt, relative to the link's directory
                        "ok below",      // absin -> <vol>/sub/b.txt
                        "ok a.txt absin inlink sub",   // abs, dirlink, dirrel and rel lead outside: left out
                        "ok b.txt up",
                        "ok size=6 type=file",
                        "ok size=6 type=file",
                        "ok size=0 type=dir"),
                run(compile, data(false),
                        "op=read", "path=/data/a.txt",
                        "op=read", "path=/data/sub/b.txt",
                        "op=read", "path=/data/inlink",
                        "op=read", "path=/data/sub/up",
                        "op=read", "path=/data/absin",
                        "op=list", "path=/data",
                        "op=list", "path=/data/sub",
                        "op=stat", "path=/data/a.txt",
                        "op=stat", "path=/data/inlink",
                        "op=stat", "path=/data/sub").stream()
                        .map(line -> line.startsWith("ok size=") && line.endsWith("type=dir") ? "ok size=0 type=dir" : line)
                        .toList());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void dotDotAndAbsolutePathsStayInside(boolean compile) throws IOException {
        for (boolean writable : new boolean[] {false, true}) {
            List<String> out = run(compile, data(writable),
                    "op=read", "path=/data/../secret.txt",
                    "op=read", "path=/data/sub/../../secret.txt",
                    "op=read", "path=/data/../../x",
                    "op=read", "path=/etc/passwd",
                    "op=list", "path=/data/..",
                    "op=stat", "path=/data/../secret.txt",
                    "op=write", "path=/data/../escaped.txt", "text=x",
                    "op=mkdir", "path=/data/../escaped",
                    "op=rename", "from=/data/a.txt", "to=/data/../escaped.txt",
                    "op=symlink", "target=/", "path=/data/root",
                    "op=symlink", "target=../..", "path=/data/up",
                    "op=symlink", "target=../secret.txt", "path=/data/s",
                    "op=read", "path=/data/root/etc/passwd",
                    "op=read", "path=/data/up/secret.txt",
                    "op=read", "path=/data/s");
            assertEquals(15, out.size(), out.toString());
            for (String line : out) {
                assertTrue(line.startsWith("err "), writable + ": " + out);
            }
        }
        assertEquals(List.of("outdir", "secret.txt", "vol"), list(base));
        assertEquals("SECRET", Files.readString(base.resolve("secret.txt")));
        assertEquals(List.of("a.txt", "abs", "absin", "dirlink", "dirrel", "inlink", "rel", "sub"), list(vol));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void linksInTheVolumeLeadingOutsideAreRefused(boolean compile) throws IOException {
        Map<String, String> outsideBefore = snapshot(base.resolve("outdir"));
        for (boolean writable : new boolean[] {false, true}) {
            assertEquals(List.of(
                            ENOTCAPABLE, ENOTCAPABLE, ENOTCAPABLE, ENOTCAPABLE,     // read abs, rel, dirlink/x.txt, dirrel/x.txt
                            ENOTCAPABLE, ENOTCAPABLE,                               // list dirlink, dirrel
                            ENOTCAPABLE, ENOTCAPABLE, ENOTCAPABLE,                  // stat abs, dirlink, dirlink/x.txt
                            ENOTCAPABLE,                                            // readlink abs
                            "ok size=" + Files.readSymbolicLink(vol.resolve("abs")).toString().length() + " type=link"),
                    run(compile, data(writable),
                            "op=read", "path=/data/abs",
                            "op=read", "path=/data/rel",
                            "op=read", "path=/data/dirlink/x.txt",
                            "op=read", "path=/data/dirrel/x.txt",
                            "op=list", "path=/data/dirlink",
                            "op=list", "path=/data/dirrel",
                            "op=stat", "path=/data/abs",
                            "op=stat", "path=/data/dirlink",
                            "op=stat", "path=/data/dirlink/x.txt",
                            "op=readlink", "path=/data/abs",
                            "op=lstat", "path=/data/abs"),
                    "writable=" + writable);
        }
        // writes through those links, on a writable volume
        List<String> out = run(compile, data(true),
                "op=write", "path=/data/abs", "text=OVERWRITTEN",
                "op=write", "path=/data/rel", "text=OVERWRITTEN",
                "op=append", "path=/data/abs", "text=MORE",
                "op=truncate", "path=/data/abs",
                "op=write", "path=/data/dirlink/new.txt", "text=ESCAPED",
                "op=write", "path=/data/dirlink/x.txt", "text=ESCAPED",
                "op=mkdir", "path=/data/dirlink/newdir",
                "op=unlink", "path=/data/dirlink/x.txt",
                "op=rename", "from=/data/dirlink/x.txt", "to=/data/stolen.txt",
                "op=rename", "from=/data/a.txt", "to=/data/dirrel/planted.txt",
                "op=link", "from=/data/dirlink/x.txt", "to=/data/hard",
                "op=link", "from=/data/abs", "to=/data/hard2",
                "op=symlink", "target=dirlink", "path=/data/via",
                "op=read", "path=/data/via/x.txt",
                "op=utimes", "path=/data/abs",
                "op=utimes", "path=/data/dirlink/x.txt");
        assertEquals(16, out.size(), out.toString());
        for (int i = 0; i < out.size(); i++) {
            if (i == 12) {
                assertEquals("ok", out.get(i), "a link to a link is fine; following it is not: " + out);
            } else {
                assertEquals(ENOTCAPABLE, out.get(i), "line " + i + ": " + out);
            }
        }
        assertEquals("SECRET", Files.readString(base.resolve("secret.txt")));
        assertEquals(outsideBefore, snapshot(base.resolve("outdir")));
        assertEquals(List.of("outdir", "secret.txt", "vol"), list(base));
        assertTrue(Files.exists(vol.resolve("a.txt")));
        assertFalse(Files.exists(vol.resolve("hard"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(vol.resolve("hard2"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(vol.resolve("stolen.txt"), LinkOption.NOFOLLOW_LINKS));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void linksTheModuleCreatesStayInside(boolean compile) throws IOException {
        assertEquals(List.of(
                        "ok",            // symlink ln -> a.txt
                        "ok inside",
                        "ok",            // symlink sub/l -> a.txt (Chicory takes the target relative to the directory descriptor)
                        "ok",            // move it up: it still points at a.txt
                        "ok inside",
                        "ok a.txt",      // readlink gives the target's name (Chicory gives the last name only)
                        "ok",            // a link to an inside link that leads outside ...
                        ENOTCAPABLE),    // ... cannot be followed
                run(compile, data(true),
                        "op=symlink", "target=a.txt", "path=/data/ln",
                        "op=read", "path=/data/ln",
                        "op=symlink", "target=a.txt", "path=/data/sub/l",
                        "op=rename", "from=/data/sub/l", "to=/data/l2",
                        "op=read", "path=/data/l2",
                        "op=readlink", "path=/data/l2",
                        "op=symlink", "target=abs", "path=/data/chain",
                        "op=read", "path=/data/chain"));
        Path target = Files.readSymbolicLink(vol.resolve("ln"));
        assertTrue(target.isAbsolute() && target.startsWith(vol.toRealPath()), target.toString());
        assertEquals(List.of("outdir", "secret.txt", "vol"), list(base));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readOnlyVolumesRefuseEveryWrite(boolean compile) throws IOException {
        Map<String, String> before = snapshot(base);
        List<String> out = run(compile, data(false),
                "op=write", "path=/data/a.txt", "text=changed",
                "op=write", "path=/data/new.txt", "text=new",
                "op=append", "path=/data/a.txt", "text=more",
                "op=create", "path=/data/new.txt",
                "op=openrw", "path=/data/a.txt",
                "op=truncate", "path=/data/a.txt",
                "op=mkdir", "path=/data/newdir",
                "op=rmdir", "path=/data/sub",
                "op=unlink", "path=/data/a.txt",
                "op=unlink", "path=/data/inlink",
                "op=rename", "from=/data/a.txt", "to=/data/renamed.txt",
                "op=rename", "from=/data/sub/b.txt", "to=/data/b.txt",
                "op=symlink", "target=a.txt", "path=/data/ln",
                "op=link", "from=/data/a.txt", "to=/data/hard",
                "op=utimes", "path=/data/a.txt",
                "op=write", "path=/data/inlink", "text=through a link");
        assertEquals(16, out.size(), out.toString());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(EROFS, out.get(i), "line " + i + ": " + out);
        }
        // a descriptor opened for reading cannot truncate either
        assertEquals(List.of("err 76 ENOTCAPABLE", "ok inside"),
                run(compile, data(false), "op=rdtrunc", "path=/data/a.txt", "op=read", "path=/data/a.txt"));
        assertEquals(before, snapshot(base));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writableVolumesTakeWritesInside(boolean compile) throws IOException {
        Map<String, String> outsideBefore = snapshot(base.resolve("outdir"));
        assertEquals(List.of("ok", "ok", "ok hello world", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok hello world",
                        "ok", "ok", "ok"),
                run(compile, data(true),
                        "op=write", "path=/data/new.txt", "text=hello",
                        "op=append", "path=/data/new.txt", "text=%20world",
                        "op=read", "path=/data/new.txt",
                        "op=mkdir", "path=/data/d",
                        "op=rename", "from=/data/new.txt", "to=/data/d/moved.txt",
                        "op=write", "path=/data/a.txt", "text=rewritten",
                        "op=truncate", "path=/data/sub/b.txt",
                        "op=unlink", "path=/data/inlink",
                        "op=utimes", "path=/data/a.txt",
                        "op=link", "from=/data/d/moved.txt", "to=/data/hard",
                        "op=create", "path=/data/empty",
                        "op=read", "path=/data/hard",
                        "op=mkdir", "path=/data/gone",
                        "op=rmdir", "path=/data/gone",
                        "op=write", "path=/data/absin", "text=via link"));
        assertEquals("hello world", Files.readString(vol.resolve("d/moved.txt")));
        assertEquals("rewritten", Files.readString(vol.resolve("a.txt")));
        assertEquals(1000L, Files.getLastModifiedTime(vol.resolve("a.txt")).toMillis());
        assertEquals("via link", Files.readString(vol.resolve("sub/b.txt")));
        assertTrue(Files.isSameFile(vol.resolve("hard"), vol.resolve("d/moved.txt")));
        assertFalse(Files.exists(vol.resolve("inlink"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(vol.resolve("gone")));
        assertEquals(0, Files.size(vol.resolve("empty")));
        assertEquals("SECRET", Files.readString(base.resolve("secret.txt")));
        assertEquals(outsideBefore, snapshot(base.resolve("outdir")));
        assertEquals(List.of("outdir", "secret.txt", "vol"), list(base));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void twoVolumesCannotReachEachOther(boolean compile) throws IOException {
        Path a = Files.createDirectories(base.resolve("va"));
        Path b = Files.createDirectories(base.resolve("vb"));
        Files.writeString(a.resolve("fa.txt"), "A");
        Files.writeString(b.resolve("fb.txt"), "B");
        Map<String, Path> rwBoth = Map.of("/a", sandbox(a, true), "/b", sandbox(b, true));
        List<String> out = run(compile, rwBoth,
                "op=read", "path=/a/../vb/fb.txt",
                "op=read", "path=/a/../b/fb.txt",
                "op=write", "path=/a/../vb/planted.txt", "text=x",
                "op=symlink", "target=../vb", "path=/a/tob",
                "op=list", "path=/a/..");
        for (String line : out) {
            assertTrue(line.startsWith("err "), out.toString());
        }
        assertEquals(5, out.size(), out.toString());
        // a host link from one volume into the other is outside too
        Files.createSymbolicLink(a.resolve("linkb"), b);
        assertEquals(List.of(ENOTCAPABLE, ENOTCAPABLE),
                run(compile, rwBoth, "op=read", "path=/a/linkb/fb.txt", "op=write", "path=/a/linkb/planted.txt", "text=x"));
        // moving a file between two writable volumes is fine; out of or into a read-only one is not
        assertEquals(List.of("ok", "ok B"), run(compile, rwBoth, "op=rename", "from=/b/fb.txt", "to=/a/fb.txt",
                "op=read", "path=/a/fb.txt"));
        Map<String, Path> roA = Map.of("/a", sandbox(a, false), "/b", sandbox(b, true));
        Files.writeString(b.resolve("fb2.txt"), "B2");
        assertEquals(List.of(EROFS, EROFS, EROFS),
                run(compile, roA,
                        "op=rename", "from=/a/fa.txt", "to=/b/fa.txt",
                        "op=rename", "from=/b/fb2.txt", "to=/a/fb2.txt",
                        "op=link", "from=/a/fa.txt", "to=/b/fa-hard.txt"));
        assertEquals(List.of("fa.txt", "fb.txt", "linkb"), list(a));
        assertEquals(List.of("fb2.txt"), list(b));
        assertEquals("A", Files.readString(a.resolve("fa.txt")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aPlainHostDirectoryIsPreopenedReadOnly(boolean compile) throws IOException {
        assertEquals(List.of("ok inside", EROFS, ENOTCAPABLE),
                run(compile, Map.of("/data", vol),
                        "op=read", "path=/data/a.txt",
                        "op=write", "path=/data/a.txt", "text=changed",
                        "op=read", "path=/data/abs"));
        assertEquals("inside", Files.readString(vol.resolve("a.txt")));
    }

    @Test
    void aMissingHostDirectoryFailsTheRun() {
        WasiInvocation invocation = new WasiInvocation("_start", List.of("files.wasm"), Map.of(),
                Map.of("/data", base.resolve("missing")), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream());
        ModuleExecutionException e = assertThrows(ModuleExecutionException.class, () -> files(true).run(invocation));
        assertEquals(Kind.LINK, e.kind());
        assertTrue(e.getMessage().contains("/data"), e.getMessage());
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
