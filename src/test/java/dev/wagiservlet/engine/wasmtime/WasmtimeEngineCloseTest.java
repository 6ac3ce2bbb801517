package dev.wagiservlet.engine.wasmtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.engine.CompiledModule;
import dev.wagiservlet.engine.ModuleExecutionException.Kind;
import dev.wagiservlet.engine.ModuleExecutionException;
import dev.wagiservlet.engine.WasiInvocation;
import dev.wagiservlet.engine.WasmEngine;
import dev.wagiservlet.engine.WasmEngineProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WasmtimeEngineCloseTest {

    /** (module (func (export "_start") (loop (br 0)))) */
    private static final byte[] INFINITE_LOOP = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x03, 0x02, 0x01, 0x00,
        0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00,
        0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b,
    };

    @Test
    void closingTheEngineStopsARunWithoutATimeoutFirst() throws Exception {
        WasmEngine engine = new WasmtimeEngineProvider().create(new WasmEngineProvider.Options(false, Optional.empty()));
        CompiledModule loop = engine.compile("loop", INFINITE_LOOP);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                loop.run(new WasiInvocation("_start", List.of(), Map.of(), Map.of(), new ByteArrayInputStream(new byte[0]),
                        new ByteArrayOutputStream(), new ByteArrayOutputStream()));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        runner.start();
        Thread.sleep(200);
        assertTrue(runner.isAlive());
        long start = System.nanoTime();
        engine.close();
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5_000, "the run was stopped, not waited out");
        runner.join(5_000);
        assertFalse(runner.isAlive());
        assertEquals(Kind.INTERRUPTED, ((ModuleExecutionException) failure.get()).kind());
        ModuleExecutionException after = assertThrows(ModuleExecutionException.class,
                () -> loop.run(new WasiInvocation("_start", List.of(), Map.of(), Map.of(), new ByteArrayInputStream(new byte[0]),
                        new ByteArrayOutputStream(), new ByteArrayOutputStream())));
        assertTrue(after.getMessage().contains("closed"), after.getMessage());
    }
}
