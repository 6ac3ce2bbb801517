package dev.wagiservlet.bench.runner;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console output of a server started by the harness ({@code console.log} in its base
 * directory), read incrementally: the harness's own {@code log()} also reads every log file,
 * including Tomcat's access log, which grows large under wrk.
 */
final class ConsoleLog {

    private final Path file;
    private final StringBuilder text = new StringBuilder();
    private long offset;

    ConsoleLog(Path baseDirectory) {
        this.file = baseDirectory.resolve("console.log");
    }

    /** Everything read so far, after reading what was appended since the last call. */
    synchronized String text() {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length > offset) {
                byte[] bytes = new byte[(int) (length - offset)];
                f.seek(offset);
                f.readFully(bytes);
                offset = length;
                text.append(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // not there yet
        }
        return text.toString();
    }

    /** Length of the text read so far (a position to search from later). */
    synchronized int mark() {
        return text().length();
    }

    /** Whether the text after {@code from} contains the string. */
    boolean containsAfter(int from, String needle) {
        String t = text();
        return t.indexOf(needle, Math.min(from, t.length())) >= 0;
    }

    /** The first line after {@code from} containing every one of the strings, or null. */
    String lineAfter(int from, String... needles) {
        String t = text();
        for (String line : t.substring(Math.min(from, t.length())).split("\n")) {
            boolean all = true;
            for (String n : needles) {
                all &= line.contains(n);
            }
            if (all) {
                return line.strip();
            }
        }
        return null;
    }

    /** The number before " ms" / " milliseconds" (digit groups allowed) in a line, or -1. */
    static long millisIn(String line) {
        if (line == null) {
            return -1;
        }
        Matcher m = Pattern.compile("\\[?([0-9][0-9,.]*)\\]?\\s*(ms|milliseconds)\\b").matcher(line);
        long value = -1;
        while (m.find()) {
            value = Long.parseLong(m.group(1).replaceAll("[,.]", ""));
        }
        return value;
    }
}
