package dev.wagiservlet.spring;

/** The sample application on Spring Boot's embedded Jetty (spring-boot-starter-webmvc without Tomcat, with spring-boot-starter-jetty). */
class SpringBootJettyIT extends SampleApplicationContract {
    @Override
    String server() {
        return "jetty";
    }

    @Override
    String startedLine() {
        return "Jetty started on port";
    }
}
