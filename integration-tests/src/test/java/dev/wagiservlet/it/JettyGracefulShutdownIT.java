package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServerJmx;
import dev.wagiservlet.it.support.ServletContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Graceful shutdown in Eclipse Jetty 12 (ee10): the WAR is undeployed by deleting
 * {@code webapps/wagi.war}; the deployment scanner, here set to scan every second
 * ({@code jetty.deploy.scanInterval=1}; Jetty's default is 10 s), notices and stops the context.
 *
 * <p>Timing: Jetty does not wait for requests in flight when it stops a context; it destroys the
 * filter at once, WagiFilter.destroy() stops the run and waits (up to 5 s) for its 503 to be sent.
 * So the request ends within about a scan interval of the deletion, far below the route's 60 s
 * timeout. Jetty has no leak detection of its own to ask; the checks of the contract stand for it
 * (after a full GC, no webapp class loader but /other's, no compiled module, no Chicory class
 * loader, no wagi-* thread). Requests to /wagi go on connections of their own
 * ({@link GracefulShutdownContract#once}): an idle keep-alive connection that last served /wagi
 * keeps Jetty's ServletChannel for it, and so the stopped context and its class loader, until
 * the connection closes (Jetty's idle timeout, 30 s) or serves another context.
 */
class JettyGracefulShutdownIT extends GracefulShutdownContract {

    @Override
    ServletContainer newContainer() {
        return ServletContainer.jetty().systemProperty("jetty.deploy.scanInterval", "1");
    }

    @Override
    String webappClassLoaderClass() {
        return "org.eclipse.jetty.ee10.webapp.WebAppClassLoader";
    }

    @Override
    void undeploy(ServletContainer container, ServerJmx jmx, Path work) throws Exception {
        Files.delete(container.baseDirectory().resolve("webapps/wagi.war"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Answer hello = once(container, "/wagi/hello", Duration.ofSeconds(30));
            if (hello.status() == 404) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("/wagi still answers " + hello.status() + " 60 s after its WAR was deleted");
            }
            Thread.sleep(200);
        }
    }
}
