package dev.wagiservlet.oci;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password for a registry: sent as HTTP Basic authentication, or to a registry's
 * token service to get a bearer token.
 */
public record Credentials(String username, String password) {

    /** The value of an {@code Authorization} header with these credentials. */
    String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Does not show the password. */
    @Override
    public String toString() {
        return "Credentials[" + username + "]";
    }
}
