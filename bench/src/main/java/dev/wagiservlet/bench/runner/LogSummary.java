package dev.wagiservlet.bench.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/** Counts the WARNING and SEVERE records of a Tomcat console log, by logger and message; gzips the log into raw/. */
final class LogSummary {

    /** One kind of log record and how often it came. */
    record Entry(String level, String source, String message, int count) {}

    private static final Pattern RECORD = Pattern.compile("^\\S+ \\S+ (WARNING|SEVERE) \\[[^\\]]*\\] (\\S+) (.*)$");

    private LogSummary() {}

    static List<Entry> summarize(Path consoleLog) throws IOException {
        Map<String, Entry> counts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(consoleLog, StandardCharsets.UTF_8)) {
            Matcher m = RECORD.matcher(line);
            if (m.matches()) {
                String message = m.group(3).replaceAll("[0-9]+", "N");
                message = message.length() > 120 ? message.substring(0, 120) + "..." : message;
                String key = m.group(1) + m.group(2) + message;
                Entry e = counts.get(key);
                counts.put(key, new Entry(m.group(1), m.group(2), message, e == null ? 1 : e.count() + 1));
            }
        }
        List<Entry> out = new ArrayList<>(counts.values());
        out.sort((a, b) -> Integer.compare(b.count(), a.count()));
        return out;
    }

    static void gzip(Path from, Path to) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            Files.copy(from, out);
        }
    }
}
