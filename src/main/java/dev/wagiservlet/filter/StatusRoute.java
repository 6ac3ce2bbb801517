package dev.wagiservlet.filter;

import dev.wagiservlet.metrics.FilterMetrics;
import dev.wagiservlet.metrics.StatusReport;
import dev.wagiservlet.routing.RoutePattern;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * The status page ({@code status-route}, off by default): the filter's routes, their modules and
 * compile state, and their metrics, as HTML or as JSON ({@code ?format=json}, or
 * {@code Accept: application/json}). Only users in the container role {@code status-role} see it.
 *
 * <p>Who the user is, the container says. If it has not authenticated the request yet,
 * {@link HttpServletRequest#authenticate} asks it to, with the webapp's {@code login-config}
 * (BASIC, FORM, ...). A webapp without a {@code login-config} (the drop-in WAR has none: Jetty
 * refuses to deploy a webapp whose {@code login-config} finds no login service) gets HTTP Basic
 * checked against the container's realm with {@link HttpServletRequest#login}: in Tomcat, the
 * users of {@code tomcat-users.xml}, or of a {@code Realm} in the webapp's context. Unauthenticated
 * requests get 401 with a Basic challenge; users without the role 403.
 */
final class StatusRoute {

    private static final System.Logger LOG = System.getLogger(StatusRoute.class.getName());
    private static final String REALM = "wagi";

    private final RoutePattern route;
    private final String role;
    private final FilterMetrics metrics;

    StatusRoute(RoutePattern route, String role, FilterMetrics metrics) {
        this.route = route;
        this.role = role;
        this.metrics = metrics;
    }

    boolean matches(String path) {
        return route.matches(path);
    }

    void serve(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (!authorized(request, response)) {
            return;
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ServletHttpPort.answer(response, 405, "Method Not Allowed", "Allow", "GET, HEAD");
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Vary", "Accept");
        byte[] body;
        if (wantsJson(request)) {
            response.setContentType("application/json;charset=UTF-8");
            body = StatusReport.json(metrics, Instant.now()).getBytes(StandardCharsets.UTF_8);
        } else {
            response.setContentType("text/html;charset=UTF-8");
            response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
            body = StatusReport.html(metrics, Instant.now(), "?format=json").getBytes(StandardCharsets.UTF_8);
        }
        response.setContentLength(body.length);
        if (method.equals("GET")) {
            response.getOutputStream().write(body);
        }
    }

    private static boolean wantsJson(HttpServletRequest request) {
        String format = request.getParameter("format");
        if (format != null) {
            return format.equalsIgnoreCase("json");
        }
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        String lower = accept.toLowerCase(Locale.ROOT);
        return lower.contains("application/json") && !lower.contains("text/html");
    }

    /** Whether the user may see the page; if not, the response says why (401 or 403). */
    private boolean authorized(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getUserPrincipal() == null && !authenticate(request, response)) {
            return false;
        }
        if (!request.isUserInRole(role)) {
            LOG.log(Level.WARNING, "Status page: user ''{0}'' is not in role ''{1}''; answering 403",
                    request.getUserPrincipal().getName(), role);
            ServletHttpPort.answer(response, 403, "Forbidden: the status page needs the role '" + role + "'");
            return false;
        }
        return true;
    }

    /** Authenticates the request; false if it could not be (the response then says so). */
    private boolean authenticate(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (request.authenticate(response)) {
                if (request.getUserPrincipal() != null) {
                    return true;
                }
            } else if (response.isCommitted() || response.getStatus() >= 400) {
                return false; // the container has answered: a challenge, a login form, ...
            }
        } catch (ServletException | IllegalStateException e) {
            // the container cannot authenticate here: fall back to Basic below
        }
        if (response.isCommitted()) {
            return false;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String credentials;
            try {
                credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                credentials = "";
            }
            int colon = credentials.indexOf(':');
            if (colon > 0) {
                try {
                    request.login(credentials.substring(0, colon), credentials.substring(colon + 1));
                    if (request.getUserPrincipal() != null) {
                        return true;
                    }
                } catch (ServletException e) {
                    LOG.log(Level.WARNING, "Status page: login of ''{0}'' failed: {1}", credentials.substring(0, colon), e.getMessage());
                }
            }
        }
        ServletHttpPort.answer(response, 401, "Unauthorized: the status page needs a user in the role '" + role + "'",
                "WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        return false;
    }
}
