package dev.wagiservlet.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's Spring Boot example is the tested sample application's: the same application.yml and controller. */
class ReadmeExampleTest {

    private static final Path README = Path.of("../README.md");
    private static final Path SAMPLE = Path.of("src/test/java/dev/wagiservlet/spring/sample/SampleApplication.java");

    @Test
    void theReadmesApplicationYmlIsTheSamplesOwn() throws Exception {
        Matcher yaml = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(README));
        assertTrue(yaml.find(), "the README has a yaml block");
        assertEquals(withoutComments(Files.readString(Path.of("src/test/resources/application.yml"))), withoutComments(yaml.group(1)));
    }

    @Test
    void theReadmesControllerIsTheSamplesOwn() throws Exception {
        String readme = Files.readString(README);
        String sample = Files.readString(SAMPLE);
        for (String line : new String[] {"@GetMapping(\"/api/greeting\")", "return Map.of(\"greeting\", \"hello from Spring\");",
            "SpringApplication.run(SampleApplication.class, args);"}) {
            assertTrue(readme.contains(line) && sample.contains(line), line);
        }
    }

    private static String withoutComments(String yaml) {
        return yaml.lines().filter(line -> !line.stripLeading().startsWith("#")).collect(Collectors.joining("\n")).strip();
    }
}
