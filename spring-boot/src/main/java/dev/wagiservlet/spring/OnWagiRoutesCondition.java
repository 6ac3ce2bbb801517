package dev.wagiservlet.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when Spring's environment configures a WAGI route or a modules.toml ({@link SpringSettings#configuresRoutes}). */
final class OnWagiRoutesCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        if (context.getEnvironment() instanceof ConfigurableEnvironment environment && SpringSettings.configuresRoutes(environment)) {
            return ConditionOutcome.match("a WAGI route or modules.toml is configured");
        }
        return ConditionOutcome.noMatch("no wagi.routes.* or wagi.modules-toml property (nor WAGI_ROUTES_* or WAGI_MODULES_TOML variable)");
    }
}
