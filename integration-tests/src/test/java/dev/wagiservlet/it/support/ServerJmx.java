package dev.wagiservlet.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JMX connection to a server JVM started with {@link ServletContainer#enableJmx()}: the platform
 * MXBeans (heap, threads, classes, explicit GC, class histograms) and any MBean by name (Tomcat's
 * {@code Catalina:*}). Close it when done.
 *
 * <pre>{@code
 * try (ServletContainer server = ServletContainer.tomcat().enableJmx().deploy("/wagi", war).start();
 *      ServerJmx jmx = server.jmx()) {
 *     long heap = jmx.heapUsedAfterGc();
 *     List<String> threads = jmx.threadNames();
 * }
 * }</pre>
 */
public final class ServerJmx implements AutoCloseable {

    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

    private final JMXConnector connector;
    private final MBeanServerConnection connection;
    private final MemoryMXBean memory;
    private final ThreadMXBean threads;
    private final ClassLoadingMXBean classLoading;

    private ServerJmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.connection = connector.getMBeanServerConnection();
        this.memory = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        this.threads = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
        this.classLoading = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.CLASS_LOADING_MXBEAN_NAME,
                ClassLoadingMXBean.class);
    }

    /** The JMX service URL of a JVM whose agent listens on 127.0.0.1:port (registry and RMI on one port). */
    public static JMXServiceURL serviceUrl(int port) {
        try {
            return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Connects, retrying until the agent answers; bounded by the timeout. */
    static ServerJmx connect(int port, Duration timeout) {
        JMXServiceURL url = serviceUrl(port);
        long deadline = System.nanoTime() + timeout.toNanos();
        ExecutorService connecting = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jmx-connect-" + port);
            t.setDaemon(true);
            return t;
        });
        try {
            Exception last = null;
            while (System.nanoTime() - deadline < 0) {
                Future<JMXConnector> attempt = connecting.submit(() -> JMXConnectorFactory.connect(url));
                try {
                    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                    return new ServerJmx(attempt.get(left, TimeUnit.MILLISECONDS));
                } catch (ExecutionException | IOException e) {
                    last = e;
                } catch (TimeoutException e) {
                    attempt.cancel(true);
                    last = e;
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while connecting to " + url, e);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while connecting to " + url, e);
                }
            }
            throw new IllegalStateException("No JMX connection to " + url + " within " + timeout.toSeconds() + " s", last);
        } finally {
            connecting.shutdownNow();
        }
    }

    /** The raw connection, for MBeans this class has no helper for. */
    public MBeanServerConnection connection() {
        return connection;
    }

    public MemoryMXBean memory() {
        return memory;
    }

    public ThreadMXBean threads() {
        return threads;
    }

    public ClassLoadingMXBean classLoading() {
        return classLoading;
    }

    /** Runs {@code System.gc()} in the server JVM the given number of times, with a short pause between. */
    public void gc(int times) {
        for (int i = 0; i < times; i++) {
            memory.gc();
            pause(100);
        }
    }

    /**
     * Heap in use right after full collections: forces GC three times and returns the smallest
     * reading, so garbage allocated meanwhile by the server's own background work hardly counts.
     */
    public long heapUsedAfterGc() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            memory.gc();
            pause(200);
            min = Math.min(min, memory.getHeapMemoryUsage().getUsed());
        }
        return min;
    }

    /** How many live threads the server JVM has. */
    public int threadCount() {
        return threads.getThreadCount();
    }

    /** The names of the server JVM's live threads, sorted. */
    public List<String> threadNames() {
        List<String> names = new ArrayList<>();
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info != null) {
                names.add(info.getThreadName());
            }
        }
        names.sort(null);
        return names;
    }

    /** The server JVM's live threads, with their stacks. */
    public List<ThreadInfo> threadDump() {
        return Arrays.asList(threads.dumpAllThreads(false, false));
    }

    /** An MBean attribute. */
    public Object attribute(String objectName, String attribute) {
        try {
            return connection.getAttribute(new ObjectName(objectName), attribute);
        } catch (JMException e) {
            throw new IllegalStateException("JMX getAttribute " + objectName + " " + attribute + ": " + e, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether an MBean with this name is registered. */
    public boolean isRegistered(String objectName) {
        try {
            return connection.isRegistered(new ObjectName(objectName));
        } catch (JMException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Invokes an MBean operation. The signature is taken from the arguments' classes, so this suits
     * operations whose parameters are reference types (String, String[], ...); for primitive
     * parameters use {@link #connection()} with an explicit signature.
     */
    public Object invoke(String objectName, String operation, Object... arguments) {
        String[] signature = new String[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            signature[i] = arguments[i].getClass().getName();
        }
        try {
            return connection.invoke(new ObjectName(objectName), operation, arguments, signature);
        } catch (JMException e) {
            throw new IllegalStateException("JMX invoke " + objectName + " " + operation + Arrays.toString(arguments) + ": " + e, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The server JVM's class histogram ({@code jcmd GC.class_histogram}: live objects only, so it
     * forces a full GC first); one line per class and class loader.
     */
    public String classHistogram() {
        return (String) invoke(DIAGNOSTIC_COMMAND, "gcClassHistogram", (Object) new String[0]);
    }

    /** Live instances of the class in a {@link #classHistogram()}, summed over the class loaders that define it. */
    public static long instances(String histogram, String className) {
        long count = 0;
        for (String line : histogram.split("\r?\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[0].endsWith(":") && columns[3].equals(className)) {
                count += Long.parseLong(columns[1]);
            }
        }
        return count;
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException ignored) {
            // the server may be gone already
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
