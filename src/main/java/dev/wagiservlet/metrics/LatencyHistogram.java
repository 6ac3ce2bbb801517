package dev.wagiservlet.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request latencies in a fixed log-linear histogram of microseconds, in the manner of HdrHistogram
 * with one significant binary digit of four bits: values below 16 µs each have their own bucket,
 * every power of two above is split into 16 buckets, so a bucket is at most 1/16 (6.25 %) as wide
 * as its values and a percentile, reported at its bucket's middle, is within about 3 % of the true
 * one. Values from 2^41 µs (about 25 days) up share the last bucket. Recording takes a few
 * arithmetic operations, one {@link AtomicLongArray} increment and three adders: no lock, no
 * allocation. The counts are since the histogram was made (for a route: since it was mounted).
 */
public final class LatencyHistogram {

    static final int SUB_BITS = 4;
    static final int SUB_BUCKETS = 1 << SUB_BITS;
    static final int MAX_EXPONENT = 40;
    static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

    /** Records one latency; negative values count as 0. */
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        counts.incrementAndGet(index(value / 1_000));
        count.increment();
        totalNanos.add(value);
        maxNanos.accumulate(value);
    }

    /** The bucket of a value in microseconds. */
    static int index(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** The smallest value, in microseconds, of a bucket. */
    static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = index / SUB_BUCKETS + SUB_BITS - 1;
        return (long) (SUB_BUCKETS + index % SUB_BUCKETS) << (exponent - SUB_BITS);
    }

    /** How many values, in microseconds, a bucket holds. */
    static long width(int index) {
        return index < SUB_BUCKETS ? 1 : 1L << (index / SUB_BUCKETS - 1);
    }

    /** How many latencies were recorded. */
    public long count() {
        return count.sum();
    }

    /** The sum of every latency recorded, in nanoseconds. */
    public long totalNanos() {
        return totalNanos.sum();
    }

    /** The largest latency recorded, in nanoseconds (0 if none). */
    public long maxNanos() {
        return maxNanos.get();
    }

    /** The latency below which the fraction {@code quantile} of requests fall, in milliseconds (0 if none). */
    public double percentileMillis(double quantile) {
        return percentilesMillis(quantile)[0];
    }

    /**
     * Several percentiles in one pass over the buckets, in milliseconds: each the middle of the bucket
     * holding that rank, but never more than the largest value recorded.
     *
     * @param quantiles in ascending order, each in (0, 1]
     */
    public double[] percentilesMillis(double... quantiles) {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        double[] result = new double[quantiles.length];
        if (total == 0) {
            return result;
        }
        double maxMillis = maxNanos() / 1e6;
        int bucket = 0;
        long seen = snapshot[0];
        for (int q = 0; q < quantiles.length; q++) {
            long rank = Math.max(1, (long) Math.ceil(quantiles[q] * total));
            while (seen < rank && bucket < BUCKETS - 1) {
                seen += snapshot[++bucket];
            }
            double middleMicros = lowerBound(bucket) + width(bucket) / 2.0;
            result[q] = bucket == BUCKETS - 1 ? maxMillis : Math.min(middleMicros / 1e3, maxMillis);
        }
        return result;
    }

    /** The counts and percentiles at one moment. */
    public Snapshot snapshot() {
        double[] p = percentilesMillis(0.5, 0.9, 0.99);
        long n = count();
        return new Snapshot(n, n == 0 ? 0 : totalNanos() / 1e6 / n, p[0], p[1], p[2], maxNanos() / 1e6);
    }

    /**
     * Latencies at one moment, in milliseconds.
     *
     * @param count how many requests
     * @param mean their mean
     * @param p50 the median
     * @param p90 the 90th percentile
     * @param p99 the 99th percentile
     * @param max the largest
     */
    public record Snapshot(long count, double mean, double p50, double p90, double p99, double max) {}
}
