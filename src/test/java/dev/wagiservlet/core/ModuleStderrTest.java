package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.config.Limits;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A run's stderr is capped, and logged once, when the run ends. */
class ModuleStderrTest {

    private final Logger logger = Logger.getLogger("dev.wagiservlet.module");
    private final List<String> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record.getParameters() == null ? record.getMessage()
                    : MessageFormat.format(record.getMessage(), record.getParameters()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private boolean parentHandlers;

    @BeforeEach
    void listen() {
        parentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false); // keeps the floods off the console
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(parentHandlers);
    }

    private static void write(ModuleStderr stderr, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        stderr.write(bytes, 0, bytes.length);
    }

    @Test
    void linesAreLoggedAsOneRecordWhenTheRunEnds() {
        ModuleStderr stderr = new ModuleStderr("/r", Limits.DEFAULTS);
        write(stderr, "first\r\nsec");
        write(stderr, "ond\n");
        stderr.write('x');
        assertEquals(List.of(), records, "nothing is logged while the run goes on");
        stderr.close();
        stderr.close();
        assertEquals(List.of("[/r] first\n[/r] second\n[/r] x"), records);
    }

    @Test
    void nothingWrittenNothingLogged() {
        new ModuleStderr("/r", Limits.DEFAULTS).close();
        assertEquals(List.of(), records);
    }

    @Test
    void pastTheByteCapTheRestIsDroppedAndCounted() {
        ModuleStderr stderr = new ModuleStderr("/r", 10, 100);
        write(stderr, "0123456\n89abcdef");
        write(stderr, "more");
        stderr.write('!');
        stderr.close();
        assertEquals(List.of("[/r] 0123456\n[/r] 89\n[/r] stderr cut at 10 bytes (max_stderr_size): 11 more bytes dropped"), records);
    }

    @Test
    void pastTheLineCapTheRestIsDroppedAndCounted() {
        ModuleStderr stderr = new ModuleStderr("/r", 1000, 2);
        write(stderr, "a\nb\nc\n");
        write(stderr, "d\n");
        stderr.close();
        assertEquals(List.of("[/r] a\n[/r] b\n[/r] stderr cut at 2 lines (max_stderr_lines): 4 more bytes dropped"), records);
    }

    @Test
    void exactlyAtTheCapsNothingIsCut() {
        ModuleStderr stderr = new ModuleStderr("/r", 4, 2);
        write(stderr, "a\nb\n");
        stderr.close();
        assertEquals(List.of("[/r] a\n[/r] b"), records);
    }

    @Test
    void aFloodKeepsOnlyTheCapsWorth() {
        ModuleStderr stderr = new ModuleStderr("/flood", Limits.DEFAULTS);
        byte[] chunk = new byte[64 << 10];
        Arrays.fill(chunk, (byte) 'e');
        for (int i = 0; i < 1000; i++) {
            stderr.write(chunk, 0, chunk.length);
        }
        assertEquals(1000L * chunk.length - Limits.DEFAULTS.maxStderrSize(), stderr.dropped());
        stderr.close();
        assertEquals(1, records.size(), "one record for the whole run");
        String record = records.get(0);
        assertTrue(record.length() < Limits.DEFAULTS.maxStderrSize() + 200, "about the cap: " + record.length());
        assertTrue(record.endsWith("[/flood] stderr cut at 16384 bytes (max_stderr_size): " + (1000L * chunk.length - 16384)
                + " more bytes dropped"), record.substring(record.length() - 100));
    }

    @Test
    void aFloodOfLinesKeepsTheFirstLines() {
        ModuleStderr stderr = new ModuleStderr("/flood", Limits.DEFAULTS);
        for (int i = 0; i < 10_000; i++) {
            write(stderr, "line " + i + "\n");
        }
        stderr.close();
        String[] lines = records.get(0).split("\n");
        assertEquals(101, lines.length);
        assertEquals("[/flood] line 0", lines[0]);
        assertEquals("[/flood] line 99", lines[99]);
        assertTrue(lines[100].startsWith("[/flood] stderr cut at 100 lines (max_stderr_lines): "), lines[100]);
    }

    @Test
    void aModuleCannotFormatOrForgeTheLog() {
        ModuleStderr stderr = new ModuleStderr("/r", Limits.DEFAULTS);
        write(stderr, "{0} {1}\n[/other] forged");
        stderr.close();
        assertEquals(List.of("[/r] {0} {1}\n[/r] [/other] forged"), records, "every line carries the route that wrote it");
    }
}
