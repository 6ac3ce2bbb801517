package dev.wagiservlet.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.TreeSet;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Lists the {@code dev.wagiservlet} MBeans of the server JVM's platform MBean server, as JConsole
 * would see them: one line per bean, its name, then {@code ?attribute=Name} values if asked.
 */
public class MBeanProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        response.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = response.getWriter();
        try {
            String[] attributes = request.getParameterValues("attribute");
            for (ObjectName name : new TreeSet<>(server.queryNames(new ObjectName("dev.wagiservlet:*"), null))) {
                StringBuilder line = new StringBuilder(name.toString());
                if (attributes != null) {
                    for (String attribute : attributes) {
                        Object value;
                        try {
                            value = server.getAttribute(name, attribute);
                        } catch (JMException e) {
                            value = "-";
                        }
                        line.append(' ').append(attribute).append('=').append(value);
                    }
                }
                out.println(line);
            }
        } catch (JMException e) {
            throw new IOException(e);
        }
    }
}
