package dev.wagiservlet.bench.runner;

/**
 * Where the machine's CPU went during a case, each in % of one core (the machine has 200 % on 2
 * cores): the Tomcat process with its CGI children, the wrk client, and everything else (other
 * processes on this shared machine, the benchmark's own JVM, and steal time).
 */
record CpuShare(double server, double client, double other) {

    static final CpuShare UNKNOWN = new CpuShare(Double.NaN, Double.NaN, Double.NaN);

    /** Readings before a case; {@link #since} computes the shares. */
    record Mark(long nanos, long server, long client, long self, long machine) {
        /** With a null process (not started yet), its ticks count as 0. */
        static Mark now(ProcessHandle tomcat) {
            return new Mark(System.nanoTime(), tomcat == null ? 0 : ProcessTree.cpuTicks(tomcat), ProcessTree.reapedChildrenTicks(),
                    ProcessTree.selfTicks(), ProcessTree.machineBusyTicks());
        }
    }

    static CpuShare since(Mark before, ProcessHandle tomcat) {
        Mark after = Mark.now(tomcat);
        if (before.server() < 0 || after.server() < 0 || before.machine() < 0 || after.machine() < 0
                || before.client() < 0 || after.client() < 0) {
            return UNKNOWN;
        }
        double scale = 1e9 / ProcessTree.TICKS_PER_SECOND / (after.nanos() - before.nanos()) * 100;
        double server = (after.server() - before.server()) * scale;
        double client = (after.client() - before.client()) * scale;
        double machine = (after.machine() - before.machine()) * scale;
        return new CpuShare(server, client, Math.max(0, machine - server - client));
    }

    /** "141/52/3". */
    String format() {
        if (Double.isNaN(server)) {
            return "n/a";
        }
        return String.format(java.util.Locale.ROOT, "%.0f/%.0f/%.0f", server, client, other);
    }
}
