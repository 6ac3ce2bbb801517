package dev.wagiservlet.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Apache Tomcat started with its own {@code bin/catalina.sh run}; CATALINA_HOME is the unpacked
 * distribution, CATALINA_BASE a fresh directory with a copy of {@code conf/}.
 */
final class TomcatContainer extends ServletContainer {

    /** Logged by org.apache.catalina.startup.Catalina.start() after all webapps are deployed. */
    static final String READY = "Server startup in";

    TomcatContainer(Path home) {
        super(home);
    }

    @Override
    public String name() {
        return "tomcat";
    }

    @Override
    protected String readinessLine() {
        return READY;
    }

    @Override
    protected void prepareBase(Path base, int port) throws IOException {
        copyTree(home.resolve("conf"), base.resolve("conf"));
        for (String dir : List.of("logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        configureServerXml(base.resolve("conf/server.xml"), port, readTimeoutSetting());
        configureLogging(base.resolve("conf/logging.properties"));
        if (!sharedJars.isEmpty()) {
            Files.createDirectories(base.resolve("lib")); // catalina.properties' common.loader takes ${catalina.base}/lib/*.jar
            for (Path jar : sharedJars) {
                Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()));
            }
        }
    }

    /** HTTP connector on 127.0.0.1:port (with the read timeout, if set), no shutdown port, no AJP connector. */
    private static void configureServerXml(Path serverXml, int port, Duration readTimeout) throws IOException {
        try {
            DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
            dbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder db = dbf.newDocumentBuilder();
            Document doc = db.parse(serverXml.toFile());
            Element server = doc.getDocumentElement();
            server.setAttribute("port", "-1");

            NodeList connectors = doc.getElementsByTagName("Connector");
            List<Element> toRemove = new ArrayList<>();
            int http = 0;
            for (int i = 0; i < connectors.getLength(); i++) {
                Element c = (Element) connectors.item(i);
                String protocol = c.getAttribute("protocol");
                boolean ajp = protocol.toUpperCase().startsWith("AJP");
                boolean tls = "true".equalsIgnoreCase(c.getAttribute("SSLEnabled"));
                if (ajp || tls || http > 0) {
                    toRemove.add(c);
                } else {
                    c.setAttribute("port", Integer.toString(port));
                    c.setAttribute("address", "127.0.0.1");
                    if (readTimeout != null) {
                        c.setAttribute("connectionTimeout", Long.toString(readTimeout.toMillis()));
                    }
                    http++;
                }
            }
            if (http != 1) {
                throw new IOException("No HTTP <Connector> found in " + serverXml);
            }
            for (Element c : toRemove) {
                c.getParentNode().removeChild(c);
            }

            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.transform(new DOMSource(doc), new StreamResult(serverXml.toFile()));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not rewrite " + serverXml, e);
        }
    }

    /**
     * Webapp-level log records (ServletContext.log, filter/listener start-up failures) go to
     * logs/localhost.*.log only by default; also send them to the console so the console output
     * (and the demo's streamed output) shows them.
     */
    private static void configureLogging(Path loggingProperties) throws IOException {
        String key = "org.apache.catalina.core.ContainerBase.[Catalina].[localhost].handlers";
        List<String> lines = new ArrayList<>(Files.readAllLines(loggingProperties, StandardCharsets.UTF_8));
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith(key + " =") || line.startsWith(key + "=")) {
                if (!line.contains("java.util.logging.ConsoleHandler")) {
                    lines.set(i, line + ", java.util.logging.ConsoleHandler");
                }
                found = true;
            }
        }
        if (!found) {
            lines.add(key + " = 2localhost.org.apache.juli.AsyncFileHandler, java.util.logging.ConsoleHandler");
        }
        Files.write(loggingProperties, lines, StandardCharsets.UTF_8);
    }

    @Override
    protected void deployInto(Path base, String contextPath, Path source) throws IOException {
        copyWebapp(source, base.resolve("webapps"), appName(contextPath, "ROOT"));
    }

    @Override
    protected List<String> command(Path base, int port, Path java, Map<String, String> systemProperties) {
        // Run through bash: the tar.gz unpacked by Maven may have lost the exec bit.
        return List.of("bash", home.resolve("bin/catalina.sh").toString(), "run");
    }

    @Override
    protected void configureEnvironment(Map<String, String> env, Path base, Map<String, String> systemProperties) {
        env.put("JAVA_HOME", javaHome().toString());
        env.put("CATALINA_HOME", home.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_TMPDIR", base.resolve("temp").toString());
        env.put("CATALINA_OPTS", catalinaOpts(jvmOptions(), systemProperties));
    }

    /** JVM options for catalina.sh: the extra JVM options and the system properties, each shell-quoted. */
    private static String catalinaOpts(List<String> jvmOptions, Map<String, String> systemProperties) {
        StringBuilder sb = new StringBuilder();
        // If the HTTP port cannot be bound, exit instead of running without a connector.
        sb.append(shellQuote("-Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true"));
        for (String option : jvmOptions) {
            sb.append(' ').append(shellQuote(option));
        }
        for (Map.Entry<String, String> p : systemProperties.entrySet()) {
            sb.append(' ').append(shellQuote("-D" + p.getKey() + "=" + p.getValue()));
        }
        return sb.toString();
    }

    /**
     * catalina.sh passes CATALINA_OPTS through {@code eval}, so each argument is single-quoted
     * (values may contain spaces, quotes, $, backslashes).
     */
    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    protected List<Path> logFiles(Path base) {
        return filesIn(base.resolve("logs"));
    }
}
