package dev.wagiservlet.filter;

import dev.wagiservlet.core.Gateway;
import dev.wagiservlet.core.Route;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * A landing page listing every route the webapp's WAGI filters serve, with its module and
 * entrypoint. The demo WAR maps it to the context root.
 */
public class RouteIndexServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        String base = request.getContextPath();
        PrintWriter out = response.getWriter();
        out.println("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>wagi-servlet</title>"
                + "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em 1em;text-align:left}</style></head><body>");
        out.println("<h1>wagi-servlet</h1><p>WebAssembly modules served as CGI (WAGI) by a servlet filter.</p>");
        out.println("<table><tr><th>Route</th><th>Module</th><th>Entrypoint</th></tr>");
        for (Route route : routes(getServletContext())) {
            String link = route.config().route().isPrefix() ? route.config().route().path() + "/" : route.route();
            out.printf("<tr><td><a href=\"%s\">%s</a></td><td>%s</td><td>%s</td></tr>%n",
                    escape(base + link), escape(route.route()), escape(route.moduleFile().getFileName().toString()),
                    escape(route.config().entrypoint()));
        }
        out.println("</table></body></html>");
    }

    /** The routes of every WAGI filter of the webapp, each filter's in its order. */
    private static List<Route> routes(ServletContext context) {
        return Collections.list(context.getAttributeNames()).stream()
                .filter(name -> name.startsWith(WagiFilter.GATEWAY_ATTRIBUTE))
                .sorted()
                .map(context::getAttribute)
                .flatMap(gateway -> gateway instanceof Gateway g ? g.routes().stream() : Stream.empty())
                .toList();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
