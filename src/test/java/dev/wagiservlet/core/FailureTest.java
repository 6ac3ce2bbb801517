package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.metrics.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The failure table and the docs' table of error kinds say the same. */
class FailureTest {

    private static final Path DOCS = Path.of("docs/status-and-metrics.md");

    @Test
    void theDocsListEveryKindWithTheStatusesOfItsFailures() throws Exception {
        Map<String, Set<Integer>> table = new TreeMap<>();
        for (Failure failure : Failure.values()) {
            table.computeIfAbsent(failure.kind().label(), k -> new TreeSet<>()).add(failure.status());
        }
        Map<String, Set<Integer>> docs = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)` \\|.*\\| ([0-9 or]+) \\|$").matcher(Files.readString(DOCS));
        while (row.find()) {
            Set<Integer> statuses = new TreeSet<>();
            for (String status : row.group(2).split(" or ")) {
                statuses.add(Integer.parseInt(status.strip()));
            }
            docs.put(row.group(1), statuses);
        }
        assertEquals(table, docs, "docs/status-and-metrics.md's table of error kinds");
    }

    @Test
    void everyKindHasAFailureAndOnlyUnavailabilityIsRetryable() {
        Set<ErrorKind> kinds = new TreeSet<>();
        for (Failure failure : Failure.values()) {
            kinds.add(failure.kind());
            assertEquals(failure.status() == 503, failure.retryable(), failure.name());
            assertTrue(failure.status() >= 400 && failure.status() < 600, failure.name());
        }
        assertEquals(Set.copyOf(ErrorKind.ALL), kinds);
    }
}
