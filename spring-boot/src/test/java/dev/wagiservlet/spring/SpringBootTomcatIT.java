package dev.wagiservlet.spring;

/** The sample application on Spring Boot's embedded Tomcat (spring-boot-starter-webmvc). */
class SpringBootTomcatIT extends SampleApplicationContract {
    @Override
    String server() {
        return "tomcat";
    }

    @Override
    String startedLine() {
        return "Tomcat started on port";
    }
}
