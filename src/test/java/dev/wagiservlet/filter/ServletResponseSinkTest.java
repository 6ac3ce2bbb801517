package dev.wagiservlet.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServletResponseSinkTest {

    @Test
    void utf8HeaderValuesGoOutAsTheBytesTheModuleWrote() {
        String value = "café ☕";
        String wire = ServletResponseSink.asWireBytes(value);
        // The container writes each char of a header value as one ISO-8859-1 byte.
        assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void asciiValuesAreUntouched() {
        String value = "text/plain; charset=utf-8";
        assertSame(value, ServletResponseSink.asWireBytes(value));
    }
}
