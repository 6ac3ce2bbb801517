package dev.wagiservlet.spring;

import dev.wagiservlet.config.WagiSettings;
import dev.wagiservlet.config.WagiSettingsReader;
import dev.wagiservlet.filter.WagiFilter;
import dev.wagiservlet.metrics.MicrometerSupport;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Registers the WAGI filter in a Spring Boot servlet application when a route is configured
 * ({@code wagi.routes.NAME.*} or {@code wagi.modules-toml}, from any property source, profiles and
 * environment variables included; see {@link SpringSettings}). The filter is mapped to {@code /*}
 * under the name {@value #FILTER_NAME}: a request no route matches goes on to the application's
 * controllers. The settings are read once at startup and checked as in a servlet container: a bad
 * key fails the application's start, naming the property and its source.
 *
 * <p>With Micrometer, the filter's meters ({@code wagi.requests}, ...) go to the application's
 * {@code MeterRegistry}; with Spring Boot 4's health module, a {@code wagi} health contributor
 * reports the routes served. A bean named {@code wagiFilter} of one's own replaces the registration.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({WagiFilter.class, FilterRegistrationBean.class})
@Conditional(OnWagiRoutesCondition.class)
public class WagiAutoConfiguration {

    /** The filter's name: messages and metrics name it, and the health contributor looks it up by it. */
    public static final String FILTER_NAME = "wagi";

    /** Where settings read from Spring come from, in messages. */
    static final String ORIGIN = "Spring Boot filter '" + FILTER_NAME + "'";

    @Bean
    @ConditionalOnMissingBean(name = "wagiFilter")
    public FilterRegistrationBean<WagiFilter> wagiFilter(ConfigurableEnvironment environment) {
        WagiSettings settings = WagiSettingsReader.read(SpringSettings.read(environment), ORIGIN);
        FilterRegistrationBean<WagiFilter> registration = new FilterRegistrationBean<>(new WagiFilter(settings));
        registration.setName(FILTER_NAME);
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100); // after security and the other filters of the application
        return registration;
    }

    /** Hands the application's Micrometer registry to the filter, before it starts. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class Micrometer {

        @Bean
        ServletContextInitializer wagiMeterRegistry(ObjectProvider<MeterRegistry> registry) {
            return context -> registry.ifAvailable(r -> context.setAttribute(MicrometerSupport.REGISTRY_ATTRIBUTE, r));
        }
    }

    /** The {@code wagi} health contributor (Spring Boot 4's {@code org.springframework.boot.health}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "wagiHealthIndicator")
        WagiHealthIndicator wagiHealthIndicator() {
            return new WagiHealthIndicator(FILTER_NAME);
        }
    }
}
