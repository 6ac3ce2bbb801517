package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServerJmx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Tomcat's own management operations, over JMX ({@link ServerJmx}): reloading, undeploying and
 * deploying a webapp, and Tomcat's leak detection; and the warnings Tomcat logs about leaks.
 */
final class TomcatManagement {

    /** The Host: {@code findReloadedContextMemoryLeaks}. */
    static final String HOST = "Catalina:type=Host,host=localhost";
    /** The Host's HostConfig: {@code check(name)}, {@code isDeployed(name)}. */
    static final String DEPLOYER = "Catalina:type=Deployer,host=localhost";

    /**
     * What Tomcat logs when a webapp leaves something behind on stop (WebappClassLoaderBase's
     * clearReferences* checks), or when a stopped webapp's class loader is used.
     */
    static final List<String> LEAK_WARNINGS = List.of(
            "appears to have started a thread named",
            "failed to stop it",
            "memory leak",
            "created a ThreadLocal",
            "failed to unregister it",
            "this web application instance has been stopped already",
            "Illegal access");

    private final ServerJmx jmx;
    private final Path webapps;

    /**
     * @param webapps the server's {@code webapps} directory ({@code CATALINA_BASE/webapps})
     */
    TomcatManagement(ServerJmx jmx, Path webapps) {
        this.jmx = jmx;
        this.webapps = webapps;
    }

    /** The StandardContext MBean of a context path ("/wagi"). */
    static String webModule(String contextPath) {
        return "Catalina:j2eeType=WebModule,name=//localhost" + contextPath + ",J2EEApplication=none,J2EEServer=none";
    }

    /** Stops and starts the context in place, with a new class loader (what touching web.xml does). */
    void reload(String contextPath) {
        jmx.invoke(webModule(contextPath), "reload");
    }

    boolean isDeployed(String contextPath) {
        return (Boolean) jmx.invoke(DEPLOYER, "isDeployed", contextPath);
    }

    /**
     * Undeploys a WAR-deployed webapp as an operator does, by taking its WAR out of {@code webapps/}
     * (it is moved to {@code parked}), then lets HostConfig act on it at once (what autoDeploy does
     * within 10 s): the context is stopped and destroyed, and its expanded directory deleted. Bounded.
     */
    void undeployWar(String contextPath, Path parked, Duration timeout) throws IOException {
        Files.createDirectories(parked.getParent());
        Files.move(war(contextPath), parked, StandardCopyOption.REPLACE_EXISTING);
        awaitDeployed(contextPath, false, timeout);
    }

    /** Puts the WAR back into {@code webapps/} (atomically) and lets HostConfig deploy it at once. Bounded. */
    void deployWar(String contextPath, Path parked, Duration timeout) throws IOException {
        Path staging = webapps.getParent().resolve("staging-" + contextPath.substring(1) + ".war");
        Files.copy(parked, staging, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staging, war(contextPath), StandardCopyOption.ATOMIC_MOVE);
        awaitDeployed(contextPath, true, timeout);
    }

    /**
     * Calls HostConfig's check(name) until the context is (un)deployed. check() skips an app that
     * autoDeploy is handling at that moment, and autoDeploy then does the same thing, so a repeat
     * is enough.
     */
    private void awaitDeployed(String contextPath, boolean deployed, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            jmx.invoke(DEPLOYER, "check", contextPath);
            if (isDeployed(contextPath) == deployed) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(contextPath + (deployed ? " was not deployed" : " was not undeployed")
                        + " within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private Path war(String contextPath) {
        return webapps.resolve(contextPath.substring(1) + ".war");
    }

    /**
     * Tomcat's leak detection (the Manager app's "Find leaks"): forces a full GC, then returns the
     * context paths of stopped (reloaded or undeployed) webapps whose class loader is still alive.
     * We run a few collections first so that one GC cycle more or less makes no difference.
     */
    List<String> findReloadedContextMemoryLeaks() {
        jmx.gc(3);
        return Arrays.asList((String[]) jmx.invoke(HOST, "findReloadedContextMemoryLeaks"));
    }

    /** The log lines that carry one of {@link #LEAK_WARNINGS}. */
    static List<String> leakWarnings(String log) {
        List<String> found = new ArrayList<>();
        String[] lines = log.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String lower = lines[i].toLowerCase(Locale.ROOT);
            if (LEAK_WARNINGS.stream().anyMatch(warning -> lower.contains(warning.toLowerCase(Locale.ROOT)))) {
                StringBuilder warning = new StringBuilder(lines[i]);
                // the stack trace Tomcat prints below the warning says where the leaked thread was
                for (int j = i + 1; j < lines.length && !lines[j].isEmpty() && Character.isWhitespace(lines[j].charAt(0)); j++) {
                    warning.append('\n').append(lines[j]);
                }
                found.add(warning.toString());
            }
        }
        return found;
    }
}
