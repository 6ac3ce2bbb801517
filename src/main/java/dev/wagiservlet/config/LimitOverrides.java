package dev.wagiservlet.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The limits one route (or the filter, over the built-in defaults) sets itself, parsed once when
 * configuration is read; each replaces the default it names ({@link #over}).
 *
 * @param timeout wall-clock time for one run
 * @param maxMemory bytes of linear memory per instance
 * @param maxConcurrency runs of the route at once
 * @param maxBodySize bytes of request body
 * @param maxHeaderSize bytes of CGI header block
 * @param maxOutputSize bytes of stdout
 * @param maxStderrSize bytes of stderr logged per run
 * @param maxStderrLines lines of stderr logged per run
 */
public record LimitOverrides(Optional<Duration> timeout, OptionalLong maxMemory, OptionalInt maxConcurrency, OptionalLong maxBodySize,
        OptionalInt maxHeaderSize, OptionalLong maxOutputSize, OptionalLong maxStderrSize, OptionalInt maxStderrLines) {

    /** No limit of its own. */
    public static final LimitOverrides NONE = new LimitOverrides(Optional.empty(), OptionalLong.empty(), OptionalInt.empty(),
            OptionalLong.empty(), OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());

    /**
     * Parses the limit keys that are set (keys as {@link Limits#KEYS}).
     *
     * @throws ConfigException naming the key, for a value that is not a positive duration, size or count
     */
    static LimitOverrides read(Map<String, Setting> keys) {
        return new LimitOverrides(
                Optional.ofNullable(keys.get("timeout")).map(LimitOverrides::positiveDuration),
                size(keys.get("max_memory")),
                count(keys.get("max_concurrency")),
                size(keys.get("max_body_size")),
                size(keys.get("max_header_size")).stream().mapToInt(s -> (int) Math.min(Integer.MAX_VALUE, s)).findFirst(),
                size(keys.get("max_output_size")),
                size(keys.get("max_stderr_size")),
                count(keys.get("max_stderr_lines")));
    }

    /** These limits where set, the defaults for the rest. */
    public Limits over(Limits defaults) {
        return new Limits(timeout.orElse(defaults.timeout()), maxMemory.orElse(defaults.maxMemory()),
                maxConcurrency.orElse(defaults.maxConcurrency()), maxBodySize.orElse(defaults.maxBodySize()),
                maxHeaderSize.orElse(defaults.maxHeaderSize()), maxOutputSize.orElse(defaults.maxOutputSize()),
                maxStderrSize.orElse(defaults.maxStderrSize()), maxStderrLines.orElse(defaults.maxStderrLines()));
    }

    private static Duration positiveDuration(Setting setting) {
        Duration duration = setting.duration();
        if (duration.isZero() || duration.isNegative()) {
            throw setting.error("must be more than zero");
        }
        return duration;
    }

    private static OptionalLong size(Setting setting) {
        if (setting == null) {
            return OptionalLong.empty();
        }
        long size = setting.size();
        if (size <= 0) {
            throw setting.error("must be more than zero");
        }
        return OptionalLong.of(size);
    }

    private static OptionalInt count(Setting setting) {
        return setting == null ? OptionalInt.empty() : OptionalInt.of(setting.positiveInt());
    }
}
