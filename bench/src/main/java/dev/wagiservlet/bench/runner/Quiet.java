package dev.wagiservlet.bench.runner;

import java.time.Duration;
import java.util.Locale;

/**
 * This machine is shared: other processes may be busy when a case is about to start. Before each
 * case the benchmark waits (bounded: at most {@link #MAX_WAIT_SECONDS} per case and
 * {@link #BUDGET_SECONDS} per run) until, over one second, processes other than Tomcat and wrk use
 * less than {@link #OTHER_LIMIT_PERCENT} % of a core. A case during which they used more is
 * measured again (at most {@link #RETRIES} times per run; the least disturbed attempt is kept) and,
 * if still disturbed, marked so in the report.
 */
final class Quiet {

    static final double OTHER_LIMIT_PERCENT = 25;
    static final int MAX_WAIT_SECONDS = Integer.getInteger("bench.quiet.wait", 30);
    static final int BUDGET_SECONDS = Integer.getInteger("bench.quiet.budget", 150);

    static final int RETRIES = Integer.getInteger("bench.quiet.retries", 4);

    private static long spentMillis;
    private static int retriesUsed;

    /** Whether a disturbed case may be measured once more (at most {@link #RETRIES} per run). */
    static synchronized boolean retryAllowed() {
        if (retriesUsed >= RETRIES) {
            return false;
        }
        retriesUsed++;
        return true;
    }

    private Quiet() {}

    /** Waits for a quiet second; returns the seconds waited. */
    static synchronized double await(ProcessHandle server, String what) throws InterruptedException {
        long start = System.nanoTime();
        double other = Double.NaN;
        int seconds = 0;
        while (seconds < MAX_WAIT_SECONDS && spentMillis < BUDGET_SECONDS * 1000L) {
            CpuShare.Mark mark = CpuShare.Mark.now(server);
            Thread.sleep(1000);
            other = CpuShare.since(mark, server).other();
            if (Double.isNaN(other) || other < OTHER_LIMIT_PERCENT) {
                break;
            }
            seconds++;
            spentMillis += 1000;
        }
        double waited = (System.nanoTime() - start) / 1e9 - 1;
        if (seconds > 0) {
            System.out.printf(Locale.ROOT, "[quiet] waited %d s for other processes to calm down before %s (other CPU now %.0f %%%s)%n",
                    seconds, what, other, other >= OTHER_LIMIT_PERCENT ? ", going ahead anyway" : "");
        }
        return Math.max(0, waited);
    }

    /**
     * Waits, at most {@code max}, for a second in which the server itself uses under {@link #OTHER_LIMIT_PERCENT}
     * % of a core: the runs of requests wrk gave up on at the end of a case (a slow module goes on after its
     * client left) must not run into the next case. Returns the seconds waited.
     */
    static double awaitIdleServer(ProcessHandle server, Duration max, String what) throws InterruptedException {
        long start = System.nanoTime();
        double busy = Double.NaN;
        while (System.nanoTime() - start < max.toNanos()) {
            CpuShare.Mark mark = CpuShare.Mark.now(server);
            Thread.sleep(1000);
            busy = CpuShare.since(mark, server).server();
            if (Double.isNaN(busy) || busy < OTHER_LIMIT_PERCENT) {
                break;
            }
        }
        double waited = (System.nanoTime() - start) / 1e9;
        if (waited > 1.5) {
            System.out.printf(Locale.ROOT, "[quiet] waited %.0f s for the server to finish earlier requests before %s (server CPU now %.0f %%)%n",
                    waited, what, busy);
        }
        return waited;
    }

    static boolean disturbed(CpuShare cpu) {
        return !Double.isNaN(cpu.other()) && cpu.other() > OTHER_LIMIT_PERCENT;
    }
}
