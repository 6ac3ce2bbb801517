package dev.wagiservlet.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChallengeTest {

    @Test
    void bearerWithRealmServiceAndScope() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/hello:pull\"").orElseThrow();
        assertTrue(c.isBearer());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/hello:pull"), c.parameters());
    }

    @Test
    void basicWithRealm() {
        Challenge c = Challenge.parse("Basic realm=\"Registry Realm\"").orElseThrow();
        assertTrue(c.isBasic());
        assertEquals(Map.of("realm", "Registry Realm"), c.parameters());
    }

    @Test
    void schemeIsCaseInsensitiveAndTokensNeedNoQuotes() {
        Challenge c = Challenge.parse("BEARER Realm=https://r.example/t, service=reg , scope=\"repository:a/b:pull,push\"").orElseThrow();
        assertTrue(c.isBearer());
        assertEquals("https://r.example/t", c.parameters().get("realm"));
        assertEquals("reg", c.parameters().get("service"));
        assertEquals("repository:a/b:pull,push", c.parameters().get("scope"));
    }

    @Test
    void escapedQuoteInAValue() {
        assertEquals("a\"b", Challenge.parse("Basic realm=\"a\\\"b\"").orElseThrow().parameters().get("realm"));
    }

    @Test
    void schemeWithoutParameters() {
        Challenge c = Challenge.parse("Negotiate").orElseThrow();
        assertEquals("negotiate", c.scheme());
        assertEquals(Map.of(), c.parameters());
    }

    @Test
    void noHeaderNoChallenge() {
        assertEquals(Optional.empty(), Challenge.parse(null));
        assertEquals(Optional.empty(), Challenge.parse("  "));
    }
}
