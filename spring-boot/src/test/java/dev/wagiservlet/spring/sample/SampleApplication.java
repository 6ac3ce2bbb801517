package dev.wagiservlet.spring.sample;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The README's example application: a {@code @RestController} beside wasm routes configured in
 * {@code application.yml} (this directory's {@code ../../../../../resources}). With the starter on
 * the class path there is nothing else to write.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** An ordinary controller: the paths no WAGI route matches reach it. */
    @RestController
    static class GreetingController {

        @GetMapping("/api/greeting")
        Map<String, String> greeting() {
            return Map.of("greeting", "hello from Spring");
        }
    }
}
