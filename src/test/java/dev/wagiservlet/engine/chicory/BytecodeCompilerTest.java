package dev.wagiservlet.engine.chicory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.InterpretedFunction;
import dev.wagiservlet.engine.WasiInvocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions Chicory leaves to its interpreter are known (index and name), logged once per compile
 * with the module's name, never printed on the console, and kept in the code cache.
 */
class BytecodeCompilerTest {

    private static final Path MODULES = Path.of(System.getProperty("wagi.modules.dir", "modules/wasm"));
    /** interpreted.wasm: function 2, named "mix" in its name section, is too large for one JVM method. */
    private static final List<InterpretedFunction> MIX = List.of(new InterpretedFunction(2, "mix"));
    private static final String NAME = "/srv/wasm/interpreted.wasm";

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PrintStream err;
    private PrintStream out;
    private ExperimentalHttpTest.Captured log;

    @BeforeEach
    void capture() {
        err = System.err;
        out = System.out;
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        log = new ExperimentalHttpTest.Captured(BytecodeCompiler.class);
        Logger.getLogger(BytecodeCompiler.class.getName()).setUseParentHandlers(false); // the console handler is not Chicory
    }

    @AfterEach
    void restore() {
        System.setErr(err);
        System.setOut(out);
        log.close();
        Logger.getLogger(BytecodeCompiler.class.getName()).setUseParentHandlers(true);
    }

    @Test
    void interpretedFunctionsAreListedAndLoggedNotPrinted() throws Exception {
        CompiledModule module = new ChicoryEngine(true).compile(NAME, interpreted());
        assertEquals(MIX, module.interpretedFunctions());
        assertEquals("Content-Type: text/plain\n\nmixed\n", run(module));
        assertEquals("", console.toString(StandardCharsets.UTF_8), "nothing on System.err or System.out");
        List<String> messages = log.messages();
        assertEquals(1, messages.size(), messages.toString());
        String warning = messages.get(0);
        assertTrue(warning.startsWith("WARNING " + NAME + ": Chicory interprets 1 of its functions"), warning);
        assertTrue(warning.contains(": 2 (mix); engine = \"wasmtime\" or \"auto\" runs this module natively"), warning);
    }

    @Test
    void aModuleWithoutLargeFunctionsHasNoneAndNoWarning() throws Exception {
        CompiledModule module = new ChicoryEngine(true).compile("hello", Files.readAllBytes(MODULES.resolve("hello.wasm")));
        assertEquals(List.of(), module.interpretedFunctions());
        assertEquals(List.of(), log.messages());
    }

    @Test
    void theInterpreterEngineReportsNoSingleFunction() throws Exception {
        assertEquals(List.of(), new ChicoryEngine(false).compile(NAME, interpreted()).interpretedFunctions());
        assertEquals(List.of(), log.messages());
    }

    @Test
    void aCachedLoadReportsTheSameFunctions(@TempDir Path cache) throws Exception {
        assertEquals(MIX, new ChicoryEngine(true, cache).compile(NAME, interpreted()).interpretedFunctions());
        Path entry = onlyFile(cache);
        long written = Files.getLastModifiedTime(entry).toMillis();

        CompiledModule cached = new ChicoryEngine(true, cache).compile(NAME, interpreted());
        assertEquals(MIX, cached.interpretedFunctions());
        assertEquals("Content-Type: text/plain\n\nmixed\n", run(cached));
        assertEquals(written, Files.getLastModifiedTime(entry).toMillis(), "loaded, not written again");
        assertEquals(Set.of(2), CodeArchive.fromJar(Files.readAllBytes(entry)).interpreted());
        assertEquals(2, log.messages().size(), "one warning per compile or load: " + log.messages());
        assertEquals("", console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDamagedEntryIsCompiledAgainAndReplaced(@TempDir Path cache) throws Exception {
        new ChicoryEngine(true, cache).compile(NAME, interpreted());
        Path entry = onlyFile(cache);
        byte[] good = Files.readAllBytes(entry);
        for (byte[] bad : List.of("garbage".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(good, good.length / 2))) {
            Files.write(entry, bad);
            CompiledModule module = new ChicoryEngine(true, cache).compile(NAME, interpreted());
            assertEquals(MIX, module.interpretedFunctions());
            assertEquals("Content-Type: text/plain\n\nmixed\n", run(module));
            String said = log.messages().stream().filter(m -> m.contains("code cache")).findFirst().orElseThrow();
            assertTrue(said.startsWith("WARNING " + NAME + ": the compiled code in the code cache (" + entry + ") cannot be used,"
                    + " compiling the module again"), said);
            assertEquals(List.of(entry), files(cache));
            assertEquals(Set.of(2), CodeArchive.fromJar(Files.readAllBytes(entry)).interpreted(), "replaced by a good entry");
            log.messages.clear();
        }
    }

    @Test
    void anEntryOfChicorysOwnLayoutIsRefused() throws IOException {
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(jar)) {
            out.putNextEntry(new JarEntry("wasm-module.properties"));
            out.write("mainClass=M\n".getBytes(StandardCharsets.ISO_8859_1));
            out.putNextEntry(new JarEntry("M.class"));
            out.write(new byte[] {1});
        }
        IOException e = assertThrows(IOException.class, () -> CodeArchive.fromJar(jar.toByteArray()));
        assertTrue(e.getMessage().contains("(format: null)"), e.getMessage());
        CodeArchive ours = CodeArchive.fromJar(new CodeArchive("M", Map.of("M", new byte[] {1}), Set.of(3, 1)).toJar());
        assertEquals(Set.of(1, 3), ours.interpreted());
        assertEquals("M", ours.mainClass());
    }

    @Test
    void theWarningNamesTheFirstFiveAndCountsTheRest() {
        List<InterpretedFunction> seven = IntStream.range(10, 17).mapToObj(i -> new InterpretedFunction(i, i == 10 ? null : "f" + i))
                .toList();
        String warning = BytecodeCompiler.warning("esbuild.wasm", seven);
        assertTrue(warning.startsWith("esbuild.wasm: Chicory interprets 7 of its functions"), warning);
        assertTrue(warning.contains(": 10, 11 (f11), 12 (f12), 13 (f13), 14 (f14) and 2 more; engine = "), warning);
    }

    private static byte[] interpreted() throws IOException {
        return Files.readAllBytes(MODULES.resolve("interpreted.wasm"));
    }

    private static Path onlyFile(Path dir) throws IOException {
        List<Path> files = files(dir);
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().endsWith(".code.jar"), files.toString());
        return files.get(0);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static String run(CompiledModule module) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        module.run(new WasiInvocation("_start", List.of("m"), Map.of(), Map.of(), new ByteArrayInputStream(new byte[0]),
                stdout, new ByteArrayOutputStream()));
        return stdout.toString(StandardCharsets.UTF_8);
    }
}
