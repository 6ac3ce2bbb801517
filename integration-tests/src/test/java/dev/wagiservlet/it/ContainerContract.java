package dev.wagiservlet.it;

import dev.wagiservlet.it.support.ServletContainer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the contracts that start one container for all their tests share: an HTTP client, the
 * container (started by the contract's own {@code @BeforeAll}), its stop, and a GET.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerContract {

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    ServletContainer container;

    @AfterAll
    void stop() {
        if (container != null) {
            container.close();
        }
    }

    /** GETs a path of the container (context path included), the body as text. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(container.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
