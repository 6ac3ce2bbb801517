package dev.wagiservlet.it;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * A security filter in front of WAGI, as Spring Security is: it checks HTTP Basic credentials
 * itself and hands the chain a request with the user and their roles. {@code alice:secret} has the
 * role {@code wagi-admin}, {@code bob:secret} none; anything else passes through unauthenticated.
 */
public class RoleAuthFilter implements Filter {

    private static final Map<String, Set<String>> USERS = Map.of("alice", Set.of("wagi-admin"), "bob", Set.of("staff"));

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String authorization = http.getHeader("Authorization");
        for (Map.Entry<String, Set<String>> user : USERS.entrySet()) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((user.getKey() + ":secret").getBytes(StandardCharsets.UTF_8));
            if (expected.equals(authorization)) {
                chain.doFilter(new Authenticated(http, user.getKey(), user.getValue()), response);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The request as the user's (a named class: the tests copy it into the webapp beside the filter). */
    public static final class Authenticated extends HttpServletRequestWrapper {
        private final String user;
        private final Set<String> roles;

        Authenticated(HttpServletRequest request, String user, Set<String> roles) {
            super(request);
            this.user = user;
            this.roles = roles;
        }

        @Override
        public String getRemoteUser() {
            return user;
        }

        @Override
        public String getAuthType() {
            return HttpServletRequest.BASIC_AUTH;
        }

        @Override
        public Principal getUserPrincipal() {
            return () -> user;
        }

        @Override
        public boolean isUserInRole(String role) {
            return roles.contains(role);
        }
    }
}
