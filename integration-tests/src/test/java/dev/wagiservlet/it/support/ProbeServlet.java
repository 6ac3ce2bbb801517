package dev.wagiservlet.it.support;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A tiny servlet that tests can copy (as its .class file, see {@link #classFileResource()}) into a
 * webapp's {@code WEB-INF/classes} to see what the server JVM gives the webapp:
 * {@code GET ...?prop=NAME} answers the system property, {@code ?env=NAME} the environment variable
 * (404 if unset). Used by {@link ContainerSmokeIT} to check that env() and systemProperty() arrive.
 */
public class ProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Where the compiled class is on the test class path, relative to a WEB-INF/classes root. */
    public static String classFileResource() {
        return ProbeServlet.class.getName().replace('.', '/') + ".class";
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String prop = req.getParameter("prop");
        String env = req.getParameter("env");
        String value = prop != null ? System.getProperty(prop) : env != null ? System.getenv(env) : null;
        getServletContext().log("ProbeServlet: " + req.getQueryString() + " -> " + (value == null ? "<unset>" : "set"));
        resp.setContentType("text/plain;charset=UTF-8");
        if (value == null) {
            resp.setStatus(HttpServletResponse.SC_NOT_FOUND);
            resp.getWriter().print("<unset>");
        } else {
            resp.getWriter().print(value);
        }
    }
}
