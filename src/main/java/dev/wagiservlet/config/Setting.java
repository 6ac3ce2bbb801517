package dev.wagiservlet.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    public Duration duration() {
        String text = value.trim();
        try {
            if (text.regionMatches(true, 0, "PT", 0, 2)) {
                Duration duration = Duration.parse(text);
                if (!duration.isNegative()) {
                    return duration;
                }
                throw error("'" + value + "' is negative");
            }
            Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h)").matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw error("'" + value + "' is not a duration; write e.g. 500ms, 30s, 2m or 1h");
    }

    /** A size in bytes: {@code 65536}, {@code 64KiB}, {@code 256MiB}, {@code 1GiB} (or KB, MB, GB: powers of 1000). */
    public long size() {
        Matcher m = Pattern.compile("(\\d+)\\s*([KMG]i?B|B)?", Pattern.CASE_INSENSITIVE)
                .matcher(value.trim());
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
                long factor = switch (unit) {
                    case "KIB" -> 1L << 10;
                    case "MIB" -> 1L << 20;
                    case "GIB" -> 1L << 30;
                    case "KB" -> 1_000L;
                    case "MB" -> 1_000_000L;
                    case "GB" -> 1_000_000_000L;
                    default -> 1L;
                };
                return Math.multiplyExact(n, factor);
            } catch (ArithmeticException | NumberFormatException e) {
                // reported below
            }
        }
        throw error("'" + value + "' is not a size; write e.g. 65536, 64KiB, 256MiB or 1GiB");
    }
}
