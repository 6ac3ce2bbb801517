package dev.wagiservlet.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void everyValueFallsInsideItsBucket() {
        for (long micros = 0; micros < 200_000; micros++) {
            assertInside(micros);
        }
        Random random = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            assertInside(random.nextLong() >>> (64 - 41)); // up to 2^41 µs
        }
    }

    private static void assertInside(long micros) {
        int index = LatencyHistogram.index(micros);
        long lower = LatencyHistogram.lowerBound(index);
        long width = LatencyHistogram.width(index);
        assertTrue(lower <= micros && micros < lower + width, micros + " in bucket " + index + " [" + lower + ", +" + width + ")");
        assertTrue(width == 1 || width * 16 <= lower, "bucket " + index + " is at most 1/16 of its values");
    }

    @Test
    void bucketsAreContiguousAndOrdered() {
        for (int i = 1; i < LatencyHistogram.BUCKETS; i++) {
            assertEquals(LatencyHistogram.lowerBound(i - 1) + LatencyHistogram.width(i - 1), LatencyHistogram.lowerBound(i), "bucket " + i);
        }
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.index(Long.MAX_VALUE / 1000));
    }

    @Test
    void emptyHistogramReportsZeros() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertArrayEquals(new double[] {0, 0, 0}, histogram.percentilesMillis(0.5, 0.9, 0.99));
        assertEquals(new LatencyHistogram.Snapshot(0, 0, 0, 0, 0, 0), histogram.snapshot());
    }

    @Test
    void percentilesAreWithinThePrecisionOfTheBuckets() {
        Random random = new Random(42);
        LatencyHistogram histogram = new LatencyHistogram();
        long[] values = new long[50_000];
        for (int i = 0; i < values.length; i++) {
            // log-normal-ish: most around 1 ms, a tail to a few hundred ms
            values[i] = (long) (Math.exp(random.nextGaussian() * 1.2) * 1_000_000);
            histogram.record(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            double exact = values[(int) Math.ceil(q * values.length) - 1] / 1e6;
            double estimate = histogram.percentileMillis(q);
            assertEquals(exact, estimate, exact * 0.07, "p" + q);
        }
        assertEquals(values[values.length - 1] / 1e6, histogram.percentileMillis(1.0), values[values.length - 1] / 1e6 * 0.07);
        assertEquals(values.length, histogram.count());
        assertEquals(values[values.length - 1], histogram.maxNanos());
        assertEquals(Arrays.stream(values).sum(), histogram.totalNanos());
    }

    @Test
    void onePercentileOfOneValueIsThatValue() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(7_000_000); // 7 ms
        LatencyHistogram.Snapshot snapshot = histogram.snapshot();
        assertEquals(1, snapshot.count());
        assertEquals(7.0, snapshot.mean(), 1e-9);
        assertEquals(7.0, snapshot.p50(), 7 * 0.035);
        assertEquals(7.0, snapshot.max(), 1e-9);
        assertTrue(snapshot.p99() <= snapshot.max(), "never above the largest value");
    }

    @Test
    void hugeAndNegativeValuesAreKept() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(-5);
        histogram.record(Long.MAX_VALUE / 2);
        assertEquals(2, histogram.count());
        assertEquals(0.0005, histogram.percentileMillis(0.5), 0.001);
        assertEquals(Long.MAX_VALUE / 2 / 1e6, histogram.percentileMillis(1.0), 1);
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        LatencyHistogram histogram = new LatencyHistogram();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 100_000; i++) {
                        histogram.record(1_000L * (i % 1000));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(400_000, histogram.count());
        assertEquals(0.5, histogram.percentileMillis(0.5), 0.5 * 0.07);
        assertEquals(999_000, histogram.maxNanos());
    }
}
