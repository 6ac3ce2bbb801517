package dev.wagiservlet.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One configured value and where it was written, so that any message about it can name the file
 * (or source) and the key.
 *
 * @param value the value as text (lists are comma-separated)
 * @param where the source and key, e.g. {@code web.xml filter 'wagi', init-param 'routes.hello.route'}
 */
public record Setting(String value, String where) {

    public Setting {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(where, "where");
    }

    /** A configuration error about this setting. */
    public ConfigException error(String message) {
        return new ConfigException(where + ": " + message);
    }

    /** The value, which must not be blank. */
    public String required() {
        if (value.isBlank()) {
            throw error("must not be empty");
        }
        return value.trim();
    }

    /** The comma-separated items of the value, trimmed, without empty ones. */
    public List<String> list() {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    /** A positive whole number. */
    public int positiveInt() {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error("'" + value + "' is not a positive whole number");
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT30S}. */
    public java.time.Duration duration() {
        String text = value.trim();
        try {
            if (text.regionMatches(true, 0, "PT", 0, 2)) {
                return java.time.Duration.parse(text);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h)").matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> java.time.Duration.ofMillis(n);
                    case "s" -> java.time.Duration.ofSeconds(n);
                    case "m" -> java.time.Duration.ofMinutes(n);
                    default -> java.time.Duration.ofHours(n);
                };
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw error("'" + value + "' is not a duration; write e.g. 500ms, 30s, 2m or 1h");
    }
}
