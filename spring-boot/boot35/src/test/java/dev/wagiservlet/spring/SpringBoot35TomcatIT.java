package dev.wagiservlet.spring;

/**
 * The same starter artifact and sample application on Spring Boot 3.5 (spring-boot-starter-web,
 * embedded Tomcat 10.1): everything but the health contributor, which needs Spring Boot 4's health API.
 */
class SpringBoot35TomcatIT extends SampleApplicationContract {
    @Override
    String server() {
        return "tomcat";
    }

    @Override
    String startedLine() {
        return "Tomcat started on port";
    }

    @Override
    boolean hasHealthContributor() {
        return false;
    }
}
