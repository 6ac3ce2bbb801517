package dev.wagiservlet.engine.http;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outbound HTTP allow-list of a route (wagi's {@code allowed_hosts}): which URLs a module may
 * request through {@code wasi_experimental_http}. Pure logic, no I/O.
 *
 * <p>Entries, as in wagi ({@code deislabs/wasi-experimental-http}, {@code is_allowed}):
 * <ul>
 *   <li>{@code insecure:allow-all} allows every URL.
 *   <li>A URL, e.g. {@code https://api.example.com} or {@code https://api.example.com:8443/v1}, allows
 *       every request whose <em>host</em> equals the entry's host (compared case-insensitively).
 *       Scheme, port and path of the entry are ignored, as in wagi, so existing {@code modules.toml}
 *       files keep their meaning; subdomains are not implied.
 *   <li>Ours: {@code strict:} followed by an origin, e.g. {@code strict:https://api.example.com:8443}
 *       or {@code strict:http://10.0.0.5}, allows only requests to that exact origin: same scheme,
 *       same host and same port, where a port left out is the scheme's default (80 for http, 443 for
 *       https). So {@code strict:https://api.example.com} allows {@code https://api.example.com/x}
 *       and {@code https://api.example.com:443/x}, but neither {@code http://api.example.com/x} nor
 *       {@code https://api.example.com:8443/x}. A strict entry must be {@code http} or {@code https}
 *       and must not have user info, a path other than {@code /}, a query or a fragment.
 * </ul>
 *
 * <p>An empty list denies everything. A request whose URL cannot be parsed or has no host is
 * {@link Verdict#INVALID_URL}, whatever the list says. As in wagi, an entry that cannot be parsed (no
 * scheme, no host: {@code api.example.com} or {@code localhost:8080} are <em>not</em> valid entries)
 * makes every check {@link Verdict#INVALID_URL} unless the list also holds {@code insecure:allow-all};
 * configuration code should reject such lists up front with {@link #validate(List)}.
 */
public final class AllowedHosts {

    /** The entry that allows every URL. */
    public static final String ALLOW_ALL = "insecure:allow-all";

    /** The prefix of an entry that matches scheme, host and port. */
    public static final String STRICT = "strict:";

    /** What {@link #check} says about a URL. */
    public enum Verdict {
        /** The module may request the URL. */
        ALLOWED,
        /** The URL is fine, but the list does not allow it. */
        DENIED,
        /** The URL (or an entry of the list) cannot be parsed, or has no host. */
        INVALID_URL
    }

    /**
     * A parsed absolute URL.
     *
     * @param uri the URL, with characters {@link URI} rejects in path, query and fragment
     *     percent-encoded (as WHATWG URL parsers do)
     * @param scheme the scheme, lower case
     * @param host the host, lower case (IPv6 addresses in brackets)
     * @param port the port, or the scheme's default port, or -1 if it has none
     */
    public record Url(URI uri, String scheme, String host, int port) {

        /** The URL for logs: user info, if any, is replaced by {@code ***}. */
        public String redacted() {
            if (uri.getRawUserInfo() == null) {
                return uri.toString();
            }
            return uri.getScheme() + "://***@" + uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1)
                    + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
    }

    private record Entry(String host, String scheme, int port) {
        boolean strict() {
            return scheme != null;
        }

        boolean matches(Url url) {
            if (!host.equals(url.host())) {
                return false;
            }
            return !strict() || (scheme.equals(url.scheme()) && port == url.port());
        }
    }

    private static final AllowedHosts NONE = new AllowedHosts(List.of(), false, List.of());

    private final List<Entry> entries;
    private final boolean allowAll;
    private final List<String> invalid;

    private AllowedHosts(List<Entry> entries, boolean allowAll, List<String> invalid) {
        this.entries = entries;
        this.allowAll = allowAll;
        this.invalid = invalid;
    }

    /** The list of these entries; entries that cannot be parsed are remembered, see {@link #invalidEntries()}. */
    public static AllowedHosts of(List<String> entries) {
        if (entries.isEmpty()) {
            return NONE;
        }
        List<Entry> parsed = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        boolean allowAll = false;
        for (String entry : entries) {
            Objects.requireNonNull(entry, "entry");
            if (entry.equals(ALLOW_ALL)) {
                allowAll = true;
                continue;
            }
            Entry e = parseEntry(entry);
            if (e == null) {
                invalid.add(entry);
            } else {
                parsed.add(e);
            }
        }
        return new AllowedHosts(List.copyOf(parsed), allowAll, List.copyOf(invalid));
    }

    /**
     * Checks a list for configuration code.
     *
     * @throws IllegalArgumentException naming the first entry that is neither {@code insecure:allow-all},
     *     a URL with a host, nor a valid {@code strict:} origin
     */
    public static void validate(List<String> entries) {
        for (String entry : entries) {
            if (!entry.equals(ALLOW_ALL) && parseEntry(entry) == null) {
                throw new IllegalArgumentException(entry.startsWith(STRICT)
                        ? "not a valid allowed host: '" + entry + "' (strict: needs an origin: http or https, a host,"
                                + " optionally a port, and no user info, path, query or fragment)"
                        : "not a valid allowed host: '" + entry + "' (write a URL such as https://api.example.com,"
                                + " strict:https://api.example.com:8443 or insecure:allow-all)");
            }
        }
    }

    /** Entries that could not be parsed; while there are any, only {@code insecure:allow-all} allows anything. */
    public List<String> invalidEntries() {
        return invalid;
    }

    /** Whether the list allows everything. */
    public boolean allowsAll() {
        return allowAll;
    }

    /** Whether the list allows nothing at all. */
    public boolean isEmpty() {
        return !allowAll && entries.isEmpty() && invalid.isEmpty();
    }

    /** Whether the module may request {@code url}, in wagi's order: the URL first, then the list. */
    public Verdict check(String url) {
        Url parsed = parseUrl(url);
        return parsed == null ? Verdict.INVALID_URL : check(parsed);
    }

    /** Whether the module may request an already parsed URL (for instance the target of a redirect). */
    public Verdict check(Url url) {
        if (allowAll) {
            return Verdict.ALLOWED;
        }
        if (!invalid.isEmpty()) {
            return Verdict.INVALID_URL;
        }
        for (Entry entry : entries) {
            if (entry.matches(url)) {
                return Verdict.ALLOWED;
            }
        }
        return Verdict.DENIED;
    }

    private static Entry parseEntry(String entry) {
        if (entry.startsWith(STRICT)) {
            Url url = parseUrl(entry.substring(STRICT.length()));
            if (url == null || !(url.scheme().equals("http") || url.scheme().equals("https"))) {
                return null;
            }
            URI uri = url.uri();
            String path = uri.getRawPath();
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || (path != null && !path.isEmpty() && !path.equals("/"))) {
                return null;
            }
            return new Entry(url.host(), url.scheme(), url.port());
        }
        Url url = parseUrl(entry);
        return url == null ? null : new Entry(url.host(), null, -1);
    }

    /**
     * Parses an absolute URL with a host ({@code scheme://host...}), about as leniently as the WHATWG
     * parser wagi uses: leading and trailing spaces and control characters are dropped, tabs and line
     * breaks removed, a non-ASCII host converted to punycode, and characters that {@link URI} rejects in
     * path, query and fragment (spaces, non-ASCII, {@code "<>\^`{|}[]}, a {@code %} not followed by two
     * hex digits) percent-encoded as UTF-8.
     *
     * @return the URL, or null if it cannot be parsed, has no host or has a port above 65535
     */
    public static Url parseUrl(String text) {
        String s = clean(text);
        int colon = s.indexOf(':');
        if (colon <= 0 || !s.startsWith("//", colon + 1) || !isScheme(s.substring(0, colon))) {
            return null;
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < s.length() && "/?#".indexOf(s.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = asciiAuthority(s.substring(authorityStart, authorityEnd));
        if (authority == null) {
            return null;
        }
        String rebuilt = s.substring(0, authorityStart) + authority + encodeRest(s.substring(authorityEnd));
        URI uri;
        try {
            uri = new URI(rebuilt);
        } catch (URISyntaxException e) {
            return null;
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty() || uri.getPort() > 65535) {
            return null;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
        return new Url(uri, scheme, host.toLowerCase(Locale.ROOT), port);
    }

    private static int defaultPort(String scheme) {
        switch (scheme) {
            case "http":
            case "ws":
                return 80;
            case "https":
            case "wss":
                return 443;
            case "ftp":
                return 21;
            default:
                return -1;
        }
    }

    private static String clean(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && text.charAt(end - 1) <= ' ') {
            end--;
        }
        StringBuilder b = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c != '\t' && c != '\n' && c != '\r') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isScheme(String s) {
        if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** The authority with a non-ASCII host turned into punycode; null if that fails. */
    private static String asciiAuthority(String authority) {
        int at = authority.lastIndexOf('@');
        String userInfo = at >= 0 ? authority.substring(0, at + 1) : "";
        String hostPort = authority.substring(at + 1);
        if (hostPort.chars().allMatch(c -> c < 0x80)) {
            return authority;
        }
        int portColon = hostPort.lastIndexOf(':');
        String host = portColon >= 0 ? hostPort.substring(0, portColon) : hostPort;
        String port = portColon >= 0 ? hostPort.substring(portColon) : "";
        try {
            return userInfo + IDN.toASCII(host, IDN.ALLOW_UNASSIGNED) + port;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final String HEX = "0123456789ABCDEF";

    /** Percent-encodes what {@link URI} rejects in path, query and fragment. */
    private static String encodeRest(String rest) {
        StringBuilder b = new StringBuilder(rest.length());
        boolean inFragment = false;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '#' && !inFragment) {
                inFragment = true;
                b.append(c);
            } else if (c == '%' && i + 2 < rest.length() && isHex(rest.charAt(i + 1)) && isHex(rest.charAt(i + 2))) {
                b.append(c);
            } else if (c <= ' ' || c >= 0x7f || "\"<>\\^`{|}[]%#".indexOf(c) >= 0) {
                int cp = rest.codePointAt(i);
                for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    b.append('%').append(HEX.charAt((x >> 4) & 0xF)).append(HEX.charAt(x & 0xF));
                }
                i += Character.charCount(cp) - 1;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    @Override
    public String toString() {
        return "AllowedHosts" + entries + (allowAll ? " + " + ALLOW_ALL : "") + (invalid.isEmpty() ? "" : " invalid " + invalid);
    }
}
