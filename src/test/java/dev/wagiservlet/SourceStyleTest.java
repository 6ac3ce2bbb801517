package dev.wagiservlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The style every Java source of the project keeps, checked in every build so that it stops
 * drifting: no tabs or trailing white space, no line over {@value #MAX_LINE} characters, imports
 * sorted (static ones first) and all used, no fully qualified JDK or servlet names in code, and
 * every class that logs does so under its own name.
 */
class SourceStyleTest {

    private static final int MAX_LINE = 150;
    private static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("src/test/java"),
            Path.of("integration-tests/src/test/java"), Path.of("spring-boot/src/main/java"), Path.of("spring-boot/src/test/java"),
            Path.of("spring-boot/boot35/src/test/java"));
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])(?:java|javax|jakarta)\\.(?:[a-z_][a-z0-9_]*\\.)+[A-Z]\\w*");
    private static final Pattern LOGGER = Pattern.compile("System\\.getLogger\\((\\w+)\\.class\\.getName\\(\\)\\)");

    @Test
    void everySourceKeepsTheStyle() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path root : ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    check(file, Files.readAllLines(file), problems);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static void check(Path file, List<String> lines, List<String> problems) {
        List<String> imports = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        boolean inComment = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = file + ":" + (i + 1) + ": ";
            if (line.contains("\t")) {
                problems.add(where + "a tab");
            }
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(line.length() - 1))) {
                problems.add(where + "trailing white space");
            }
            if (line.length() > MAX_LINE) {
                problems.add(where + "longer than " + MAX_LINE + " characters");
            }
            if (line.startsWith("import ")) {
                imports.add(line);
                continue;
            }
            body.append(line).append('\n');
            String trimmed = line.strip();
            if (inComment || trimmed.startsWith("/*") || trimmed.startsWith("*") || trimmed.startsWith("//")) {
                inComment = (inComment || trimmed.startsWith("/*")) && !trimmed.contains("*/");
                continue;
            }
            Matcher qualified = QUALIFIED.matcher(withoutStrings(line));
            if (qualified.find()) {
                problems.add(where + "a qualified name in code, import it: " + qualified.group());
            }
        }
        List<String> sorted = new ArrayList<>(imports.stream().filter(i -> i.startsWith("import static ")).sorted().toList());
        sorted.addAll(imports.stream().filter(i -> !i.startsWith("import static ")).sorted().toList());
        if (!sorted.equals(imports)) {
            problems.add(file + ": imports not sorted (static ones first, then in order)");
        }
        for (String imported : imports) {
            String name = imported.replaceAll("^import (static )?", "").replace(";", "");
            String simple = name.substring(name.lastIndexOf('.') + 1);
            if (!simple.equals("*") && !Pattern.compile("\\b" + Pattern.quote(simple) + "\\b").matcher(body).find()) {
                problems.add(file + ": unused " + imported);
            }
        }
        String own = file.getFileName().toString().replace(".java", "");
        Matcher logger = LOGGER.matcher(body);
        while (logger.find()) {
            if (!logger.group(1).equals(own) && !body.toString().matches("(?s).*\\b(class|record|enum|interface) " + logger.group(1) + "\\b.*")) {
                problems.add(file + ": logs under another class's name: " + logger.group(1));
            }
        }
    }

    /** The line with its string and character literals emptied. */
    private static String withoutStrings(String line) {
        return line.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("'(?:\\\\.|[^'\\\\])'", "''");
    }
}
