package dev.wagiservlet.bench.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Memory and CPU of a server process and its children (CGI programs), read from /proc. */
final class ProcessTree {

    private ProcessTree() {}

    /** The Tomcat JVM started (through catalina.sh, which execs java) by this JVM, if it runs yet. */
    static Optional<ProcessHandle> findTomcat() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("org.apache.catalina.startup.Bootstrap")).orElse(false))
                .findFirst();
    }

    /** Resident set size of the process plus its living descendants, in bytes (0 if gone). */
    static long rssBytes(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        try {
            root.descendants().forEach(all::add);
        } catch (RuntimeException ignored) {
            // the process went away
        }
        long total = 0;
        for (ProcessHandle p : all) {
            total += statusKb(p.pid(), "VmRSS:") * 1024;
        }
        return total;
    }

    /** The process's own peak RSS (VmHWM), in bytes. */
    static long peakRssBytes(ProcessHandle p) {
        return statusKb(p.pid(), "VmHWM:") * 1024;
    }

    /**
     * CPU time in clock ticks used by the process and its waited-for children (utime + stime +
     * cutime + cstime from /proc/PID/stat), or -1.
     */
    static long cpuTicks(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after "(comm)": state is f[0], so utime (field 14) is f[11]
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Busy CPU ticks of the whole machine (user, nice, system, irq, softirq and steal: time this VM
     * did not have for idle) from the first line of /proc/stat, or -1.
     */
    static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += i < f.length ? Long.parseLong(f[i]) : 0;
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This JVM's own CPU ticks (utime + stime), or -1. */
    static long selfTicks() {
        return statFields(ProcessHandle.current().pid(), 11, 12);
    }

    /** CPU ticks of this JVM's children that it has waited for (cutime + cstime): wrk, once it exited. */
    static long reapedChildrenTicks() {
        return statFields(ProcessHandle.current().pid(), 13, 14);
    }

    private static long statFields(long pid, int... indexes) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long sum = 0;
            for (int i : indexes) {
                sum += Long.parseLong(f[i]);
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Clock ticks per second (getconf CLK_TCK; 100 on Linux in practice). */
    static final long TICKS_PER_SECOND = ticksPerSecond();

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}
