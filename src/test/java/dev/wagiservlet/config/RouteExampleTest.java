package dev.wagiservlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteExampleTest {

    private static RouteExample example(String route, String methods) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("routes.r.route", route);
        params.put("routes.r.module", "/m.wasm");
        if (methods != null) {
            params.put("routes.r.methods", methods);
        }
        return new RouteExample(WagiSettingsReader.read(InitParameters.read(params, "test"), "test").routes().get(0));
    }

    @Test
    void aRouteForAnyMethodIsALink() {
        RouteExample any = example("/hello", null);
        assertEquals("any", any.methods());
        assertTrue(any.linkable());
        assertEquals("/hello", any.path());
        assertEquals("curl 'http://h:1/hello'", any.curl("http://h:1/hello"));
    }

    @Test
    void aPrefixRouteLinksToTheFolderUnderIt() {
        assertEquals("/env/", example("/env/...", "GET").path());
    }

    @Test
    void aPostRouteIsNoLinkButACurlCommandWithABody() {
        RouteExample echo = example("/echo", "PUT,POST");
        assertEquals("POST, PUT", echo.methods());
        assertFalse(echo.linkable());
        assertEquals("curl --data-binary 'hello' 'http://h:1/echo'", echo.curl("http://h:1/echo"));
    }

    @Test
    void otherMethodsAreNamedWithX() {
        assertEquals("curl -X DELETE 'http://h/x'", example("/x", "DELETE").curl("http://h/x"));
        assertEquals("curl -X PUT --data-binary 'hello' 'http://h/x'", example("/x", "PUT,DELETE").curl("http://h/x"));
        assertEquals("GET, POST", example("/x", "POST,GET").methods());
        assertTrue(example("/x", "POST,GET").linkable());
    }
}
