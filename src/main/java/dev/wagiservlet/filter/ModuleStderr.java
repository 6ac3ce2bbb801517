package dev.wagiservlet.filter;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * A module's standard error: each line goes to the container's log, prefixed with the route, on
 * the logger {@code dev.wagiservlet.module}.
 */
final class ModuleStderr extends OutputStream {

    private static final System.Logger LOG = System.getLogger("dev.wagiservlet.module");
    private static final int MAX_LINE = 8192;

    private final String route;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    ModuleStderr(String route) {
        this.route = route;
    }

    @Override
    public void write(int b) {
        if (b == '\n' || line.size() >= MAX_LINE) {
            emit();
        }
        if (b != '\n') {
            line.write(b);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    /** Logs what is left of an unfinished last line. */
    @Override
    public void close() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        LOG.log(Level.INFO, "[{0}] {1}", route, text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    }
}
