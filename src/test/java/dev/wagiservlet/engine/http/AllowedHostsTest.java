package dev.wagiservlet.engine.http;

import static dev.wagiservlet.engine.http.AllowedHosts.Verdict.ALLOWED;
import static dev.wagiservlet.engine.http.AllowedHosts.Verdict.DENIED;
import static dev.wagiservlet.engine.http.AllowedHosts.Verdict.INVALID_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedHostsTest {

    /** The reference's test_allowed_domains, unchanged. */
    @Test
    void referenceAllowedDomains() {
        AllowedHosts hosts = AllowedHosts.of(List.of("https://api.brigade.sh", "https://example.com", "http://192.168.0.1"));
        assertEquals(ALLOWED, hosts.check("https://api.brigade.sh/healthz"));
        assertEquals(ALLOWED, hosts.check("https://example.com/some/path/with/more/paths"));
        assertEquals(ALLOWED, hosts.check("http://192.168.0.1/login"));
        assertEquals(DENIED, hosts.check("https://test.brigade.sh"));
    }

    /** The reference's test_allowed_domains_with_wildcard. */
    @Test
    void referenceAllowAll() {
        AllowedHosts hosts = AllowedHosts.of(List.of("https://example.com", "insecure:allow-all", "http://192.168.0.1"));
        assertEquals(ALLOWED, hosts.check("https://api.brigade.sh/healthz"));
        assertEquals(ALLOWED, hosts.check("https://example.com/some/path/with/more/paths"));
        assertEquals(ALLOWED, hosts.check("http://192.168.0.1/login"));
        assertEquals(ALLOWED, hosts.check("https://test.brigade.sh"));
        assertTrue(hosts.allowsAll());
    }

    /** The reference's test_url_parsing: a request URL that is not a URL is an error even with allow-all. */
    @Test
    void referenceUrlParsing() {
        assertEquals(INVALID_URL, AllowedHosts.of(List.of("insecure:allow-all")).check("not even a url"));
    }

    @Test
    void emptyListDeniesEverything() {
        AllowedHosts hosts = AllowedHosts.of(List.of());
        assertTrue(hosts.isEmpty());
        assertEquals(DENIED, hosts.check("http://127.0.0.1/"));
        assertEquals(DENIED, hosts.check("https://example.com/"));
    }

    @Test
    void invalidRequestUrlIsCheckedBeforeTheList() {
        AllowedHosts hosts = AllowedHosts.of(List.of());
        assertEquals(INVALID_URL, hosts.check("no url"));
        assertEquals(INVALID_URL, hosts.check("mailto:someone@example.com")); // no host
        assertEquals(INVALID_URL, hosts.check("/relative/path"));
        assertEquals(INVALID_URL, hosts.check("http://"));
        assertEquals(INVALID_URL, hosts.check("http://example.com:99999/"));
        assertEquals(INVALID_URL, hosts.check(""));
    }

    @Test
    void hostMatchIgnoresSchemePortAndPathLikeTheReference() {
        AllowedHosts hosts = AllowedHosts.of(List.of("https://api.example.com:8443/v1"));
        assertEquals(ALLOWED, hosts.check("http://api.example.com/"));
        assertEquals(ALLOWED, hosts.check("https://api.example.com:9999/other?q=1"));
        assertEquals(ALLOWED, hosts.check("ftp://api.example.com/"));
        assertEquals(DENIED, hosts.check("https://example.com/"));
        assertEquals(DENIED, hosts.check("https://sub.api.example.com/"), "subdomains are not implied");
        assertEquals(DENIED, hosts.check("https://api.example.com.evil.net/"));
    }

    @Test
    void hostsCompareCaseInsensitively() {
        AllowedHosts hosts = AllowedHosts.of(List.of("https://API.Example.COM"));
        assertEquals(ALLOWED, hosts.check("https://api.example.com/x"));
        assertEquals(ALLOWED, hosts.check("HTTPS://Api.Example.Com/x"));
    }

    @Test
    void userInfoDoesNotFoolTheHostMatch() {
        AllowedHosts hosts = AllowedHosts.of(List.of("http://allowed.example"));
        assertEquals(DENIED, hosts.check("http://allowed.example@evil.example/"));
        assertEquals(ALLOWED, hosts.check("http://user:pw@allowed.example/"));
    }

    @Test
    void ipv6Hosts() {
        AllowedHosts hosts = AllowedHosts.of(List.of("http://[::1]"));
        assertEquals(ALLOWED, hosts.check("http://[::1]:8080/x"));
        assertEquals(DENIED, hosts.check("http://127.0.0.1/x"));
    }

    @Test
    void anInvalidEntryMakesEveryCheckInvalidLikeTheReference() {
        AllowedHosts hosts = AllowedHosts.of(List.of("https://example.com", "example.org"));
        assertEquals(List.of("example.org"), hosts.invalidEntries());
        assertEquals(INVALID_URL, hosts.check("https://example.com/"));
        assertEquals(INVALID_URL, hosts.check("https://example.org/"));
        // ... unless the list also allows everything, which the reference checks first
        assertEquals(ALLOWED, AllowedHosts.of(List.of("example.org", "insecure:allow-all")).check("https://x.example/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "localhost:8080", "*.example.com", "", "mailto:x@example.com", "http://",
            "strict:example.org", "strict:ftp://example.org", "strict:https://example.org/path",
            "strict:https://example.org/?q", "strict:https://user@example.org", "strict:https://example.org/#f",
            "strict:", "insecure:allow-some"})
    void invalidEntries(String entry) {
        assertEquals(List.of(entry), AllowedHosts.of(List.of(entry)).invalidEntries());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllowedHosts.validate(List.of(entry)));
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"insecure:allow-all", "https://example.org", "http://10.0.0.1:8080/x", "strict:https://example.org",
            "strict:https://example.org/", "strict:http://example.org:8080", "strict:http://[::1]:8080"})
    void validEntries(String entry) {
        AllowedHosts.validate(List.of(entry));
        assertEquals(List.of(), AllowedHosts.of(List.of(entry)).invalidEntries());
    }

    @Test
    void strictEntryMatchesSchemeHostAndExplicitPort() {
        AllowedHosts hosts = AllowedHosts.of(List.of("strict:https://api.example.com:8443"));
        assertEquals(ALLOWED, hosts.check("https://api.example.com:8443/v1/x?y=1"));
        assertEquals(DENIED, hosts.check("https://api.example.com/v1"), "default port 443 is not 8443");
        assertEquals(DENIED, hosts.check("http://api.example.com:8443/v1"), "scheme differs");
        assertEquals(DENIED, hosts.check("https://api.example.com:8444/"));
        assertEquals(DENIED, hosts.check("https://other.example.com:8443/"));
    }

    @Test
    void strictEntryWithoutPortMeansTheSchemesDefaultPort() {
        AllowedHosts hosts = AllowedHosts.of(List.of("strict:https://api.example.com"));
        assertEquals(ALLOWED, hosts.check("https://api.example.com/x"));
        assertEquals(ALLOWED, hosts.check("https://api.example.com:443/x"));
        assertEquals(DENIED, hosts.check("https://api.example.com:8443/x"));
        assertEquals(DENIED, hosts.check("http://api.example.com/x"));
        AllowedHosts plain = AllowedHosts.of(List.of("strict:http://10.1.2.3"));
        assertEquals(ALLOWED, plain.check("http://10.1.2.3:80/"));
        assertEquals(DENIED, plain.check("https://10.1.2.3/"));
    }

    @Test
    void strictAndHostEntriesMix() {
        AllowedHosts hosts = AllowedHosts.of(List.of("strict:https://api.example.com", "http://cdn.example.com"));
        assertEquals(ALLOWED, hosts.check("https://api.example.com/"));
        assertEquals(DENIED, hosts.check("http://api.example.com/"));
        assertEquals(ALLOWED, hosts.check("https://cdn.example.com:1234/"), "a plain entry still ignores scheme and port");
    }

    @Test
    void parseUrlIsLenientLikeAWhatwgParser() {
        AllowedHosts.Url url = AllowedHosts.parseUrl("  http://Example.COM/a b/ü?q=<x>|y#frag ment\n");
        assertNotNull(url);
        assertEquals("http", url.scheme());
        assertEquals("example.com", url.host());
        assertEquals(80, url.port());
        assertEquals("/a%20b/%C3%BC", url.uri().getRawPath());
        assertEquals("q=%3Cx%3E%7Cy", url.uri().getRawQuery());
        assertEquals("frag%20ment", url.uri().getRawFragment());

        assertEquals("/100%25%20sure/%41", AllowedHosts.parseUrl("http://h/100% sure/%41").uri().getRawPath());
        assertEquals("xn--bcher-kva.example", AllowedHosts.parseUrl("https://bücher.example/").host());
        assertEquals(443, AllowedHosts.parseUrl("https://h/").port());
        assertEquals(8080, AllowedHosts.parseUrl("http://h:8080").port());
        assertEquals("[::1]", AllowedHosts.parseUrl("http://[::1]:1/").host());
        assertNull(AllowedHosts.parseUrl("http:/h/"));
        assertNull(AllowedHosts.parseUrl("1http://h/"));
        assertFalse(AllowedHosts.of(List.of("http://h")).isEmpty());
    }

    @Test
    void redactedUrlHidesUserInfo() {
        assertEquals("http://***@h:81/p?q", AllowedHosts.parseUrl("http://user:secret@h:81/p?q").redacted());
        assertEquals("http://h/p", AllowedHosts.parseUrl("http://h/p").redacted());
    }
}
