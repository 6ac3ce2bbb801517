package dev.wagiservlet.core;

import dev.wagiservlet.config.Limits;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A module's standard error for one run: kept in memory up to the route's {@code max_stderr_size}
 * bytes and {@code max_stderr_lines} lines, and logged when the run ends, on {@link #close()}, as
 * one record on the logger {@code dev.wagiservlet.module}, each line prefixed with the route
 * ({@code [/route] line}). One record per run, not per line, so that a module writing endlessly
 * to stderr cannot flood the container's log, nor slow the run with the log's own work.
 *
 * <p>What comes past either cap is dropped at the cost of an addition per write (no byte of it
 * is looked at), and a last line of the record says how many bytes were dropped. The lines of what
 * was dropped are not counted: that would mean reading every byte.
 */
final class ModuleStderr extends OutputStream {

    private static final System.Logger LOG = System.getLogger("dev.wagiservlet.module");

    private final String route;
    private final int maxBytes;
    private final int maxLines;
    private byte[] kept = new byte[256];
    private int size;
    private int lines;
    private long dropped;
    private boolean closed;

    /** Standard error of a run of {@code route}, capped by the route's limits. */
    ModuleStderr(String route, Limits limits) {
        this(route, limits.maxStderrSize(), limits.maxStderrLines());
    }

    ModuleStderr(String route, long maxBytes, int maxLines) {
        if (maxBytes <= 0 || maxLines <= 0) {
            throw new IllegalArgumentException("the caps must be more than zero");
        }
        this.route = route;
        this.maxBytes = (int) Math.min(maxBytes, Integer.MAX_VALUE - 8);
        this.maxLines = maxLines;
    }

    @Override
    public void write(int b) {
        if (full()) {
            dropped++;
            return;
        }
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (full()) {
            dropped += length;
            return;
        }
        int take = Math.min(length, maxBytes - size);
        for (int i = offset; i < offset + take; i++) { // at most max_stderr_size bytes are ever looked at
            if (bytes[i] == '\n' && ++lines == maxLines) {
                take = i - offset + 1;
                break;
            }
        }
        if (size + take > kept.length) {
            kept = Arrays.copyOf(kept, (int) Math.min(maxBytes, Math.max(size + take, 2L * kept.length)));
        }
        System.arraycopy(bytes, offset, kept, size, take);
        size += take;
        dropped += length - take;
    }

    /** Whether a cap is reached: every byte from now on is dropped. */
    private boolean full() {
        return size >= maxBytes || lines >= maxLines;
    }

    /** Logs what the run wrote, once; nothing if it wrote nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (size > 0 || dropped > 0) {
            LOG.log(Level.INFO, "{0}", record()); // the module's text as a parameter, never as a format
        }
    }

    /** The log record: every line kept, prefixed with the route, and a note of what was dropped. */
    String record() {
        StringBuilder record = new StringBuilder(size + 96 + (lines + 2) * (route.length() + 4));
        String text = new String(kept, 0, size, StandardCharsets.UTF_8);
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            String line = text.substring(start, end < 0 ? text.length() : end);
            appendLine(record, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            start = end < 0 ? text.length() : end + 1;
        }
        if (dropped > 0) {
            appendLine(record, "stderr cut at " + (lines >= maxLines ? maxLines + " lines (max_stderr_lines)"
                    : maxBytes + " bytes (max_stderr_size)") + ": " + dropped + " more bytes dropped");
        }
        return record.toString();
    }

    private void appendLine(StringBuilder record, String line) {
        if (!record.isEmpty()) {
            record.append('\n');
        }
        record.append('[').append(route).append("] ").append(line);
    }

    /** Bytes dropped so far. */
    long dropped() {
        return dropped;
    }
}
