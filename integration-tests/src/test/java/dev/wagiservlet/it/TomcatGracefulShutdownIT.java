package dev.wagiservlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wagiservlet.it.support.ServerJmx;
import dev.wagiservlet.it.support.ServletContainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Graceful shutdown in Apache Tomcat 11: the WAR is undeployed as an operator does, by taking
 * {@code wagi.war} out of {@code webapps/}, and HostConfig is told to act on it at once (JMX
 * {@code check}) rather than at its next autoDeploy scan.
 *
 * <p>Timing: the request in flight has allocated the servlet it is mapped to (Tomcat's default
 * servlet, behind our filter), so StandardContext's stop first waits for that servlet to be
 * deallocated, up to the context's {@code unloadDelay} (default 2000 ms: 21 checks 100 ms apart,
 * logged as "Waiting for [1] instance(s) to be deallocated for Servlet [default]"); only then does it
 * stop the filters, and WagiFilter.destroy() stops the run, which answers 503. So the request ends
 * about 2 s after the undeploy began, and the 15 s bound leaves room for a slow machine, far below
 * the route's 60 s timeout. Afterwards Tomcat's own leak detection must not report the context.
 */
class TomcatGracefulShutdownIT extends GracefulShutdownContract {

    @Override
    ServletContainer newContainer() {
        return ServletContainer.tomcat();
    }

    @Override
    String webappClassLoaderClass() {
        return "org.apache.catalina.loader.ParallelWebappClassLoader";
    }

    @Override
    void undeploy(ServletContainer container, ServerJmx jmx, Path work) throws Exception {
        new TomcatManagement(jmx, container.baseDirectory().resolve("webapps"))
                .undeployWar("/wagi", work.resolve("parked/wagi.war"), Duration.ofSeconds(60));
    }

    @Override
    void afterUndeploy(ServletContainer container, ServerJmx jmx) {
        List<String> leaks = new TomcatManagement(jmx, container.baseDirectory().resolve("webapps")).findReloadedContextMemoryLeaks();
        System.out.println("[graceful] tomcat: findReloadedContextMemoryLeaks after the undeploy: " + leaks);
        assertEquals(List.of(), leaks, "Tomcat's leak detection: the undeployed context's class loader is still alive");
        List<String> warnings = TomcatManagement.leakWarnings(container.log());
        assertTrue(warnings.isEmpty(), () -> "Tomcat warns of leaks on the undeploy:\n" + String.join("\n", warnings));
    }
}
