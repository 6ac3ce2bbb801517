package dev.wagiservlet.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code mvn -Pdemo package}: serves the drop-in WAR (system property {@code wagi.war}) at the root
 * context of a real Tomcat (system property {@code tomcat.home}) on port {@code demo.port} (default
 * 8080), streams the server's output to System.out and runs until Ctrl-C (which stops Tomcat).
 */
public final class DemoServer {

    private static volatile boolean shuttingDown;

    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        String warProperty = System.getProperty("wagi.war");
        if (warProperty == null || warProperty.isBlank()) {
            throw new IllegalStateException("System property wagi.war (path of the WAR to serve) is not set");
        }
        Path war = Path.of(warProperty).toAbsolutePath();
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException("WAR not found: " + war + " (build it with 'mvn package')");
        }
        int port = Integer.getInteger("demo.port", 8080);

        ServletContainer tomcat = ServletContainer.tomcat()
                .deploy("", war)
                .port(port)
                .echoOutput(System.out);
        try {
            tomcat.start();
        } catch (RuntimeException e) {
            tomcat.close();
            throw e;
        }
        // Ctrl-C: the JVM's shutdown hook (registered by ServletContainer) stops Tomcat.
        Thread mainThread = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown = true;
            mainThread.interrupt();
        }, "demo-shutdown"));
        System.out.println();
        System.out.println("wagi-servlet demo running on http://localhost:" + port + "/ (Ctrl-C to stop)");
        System.out.println();
        System.out.flush();
        try {
            while (tomcat.isAlive()) {
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            boolean died = !shuttingDown && !tomcat.isAlive() && !Thread.currentThread().isInterrupted();
            tomcat.close();
            if (died) {
                throw new IllegalStateException("Tomcat stopped unexpectedly\n" + tomcat.logTail());
            }
        }
    }
}
