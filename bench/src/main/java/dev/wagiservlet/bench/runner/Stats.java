package dev.wagiservlet.bench.runner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Small numeric and formatting helpers. */
final class Stats {

    private Stats() {}

    /** Nearest-rank percentile (p in 0..100) of the values; -1 for none. */
    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** Milliseconds with two decimals ("1.23"), from microseconds; "n/a" for negative. */
    static String ms(long micros) {
        return micros < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    /** Milliseconds, from nanoseconds. */
    static String msFromNanos(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** Seconds with one decimal, from nanoseconds; "n/a" for negative. */
    static String seconds(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    /** Seconds with one decimal, from nanoseconds, negative allowed (before a reference time). */
    static String signedSeconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    static String mib(long bytes) {
        return bytes <= 0 ? "n/a" : String.format(Locale.ROOT, "%d", Math.round(bytes / 1048576.0));
    }

    /** "64,012" style grouping for request rates. */
    static String rate(double perSecond) {
        if (perSecond >= 100) {
            return String.format(Locale.ROOT, "%,d", Math.round(perSecond));
        }
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String ratio(double r) {
        if (Double.isNaN(r) || r <= 0) {
            return "n/a";
        }
        if (r >= 10) {
            return String.format(Locale.ROOT, "%.0f×", r);
        }
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }
}
