package dev.wagiservlet.oci;

import java.io.IOException;

/**
 * A registry could not be reached or answered with a server error (5xx, 429): a cached copy of the
 * module may stand in. Anything else a registry says (not found, refused credentials) is final.
 */
final class RegistryUnavailable extends IOException {
    RegistryUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
