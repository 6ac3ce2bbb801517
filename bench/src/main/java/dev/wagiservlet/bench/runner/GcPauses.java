package dev.wagiservlet.bench.runner;

import dev.wagiservlet.it.support.ServerJmx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The garbage collections of the server's JVM (read over JMX) and the time they took, summed over
 * its collectors: for G1's young collections, the pauses that stop every request in flight.
 *
 * @param count collections
 * @param millis their accumulated time
 */
record GcPauses(long count, long millis) {

    static final GcPauses UNKNOWN = new GcPauses(-1, -1);

    /** The totals since the JVM started. */
    static GcPauses of(ServerJmx jmx) {
        try {
            long count = 0;
            long millis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getPlatformMXBeans(jmx.connection(), GarbageCollectorMXBean.class)) {
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            return new GcPauses(count, millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What happened between {@code before} and this. */
    GcPauses since(GcPauses before) {
        return this == UNKNOWN || before == UNKNOWN ? UNKNOWN : new GcPauses(count - before.count, millis - before.millis);
    }

    /** "n / ms", or "n/a". */
    String format() {
        return count < 0 ? "n/a" : count + " / " + millis;
    }
}
