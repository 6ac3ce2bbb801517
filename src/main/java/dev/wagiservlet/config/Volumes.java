package dev.wagiservlet.config;

/** Checks the guest side of a volume mount. */
final class Volumes {

    private Volumes() {}

    static String guestPath(String guest, String where) {
        if (!guest.startsWith("/") || guest.contains("\0")) {
            throw new ConfigException(where + ": the guest path of a volume must be absolute, like /data: '" + guest + "'");
        }
        return guest;
    }
}
