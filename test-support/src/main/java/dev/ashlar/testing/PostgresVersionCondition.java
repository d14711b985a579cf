package dev.ashlar.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.Optional;

/** Skips tests whose {@link RequiresPostgres} version is newer than the test server's. */
final class PostgresVersionCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RequiresPostgres> required = AnnotationSupport.findAnnotation(context.getElement(),
                RequiresPostgres.class);
        if (required.isEmpty()) {
            return ConditionEvaluationResult.enabled("no server version required");
        }
        int actual = PostgresServer.get().majorVersion();
        int needed = required.get().value();
        return actual >= needed
                ? ConditionEvaluationResult.enabled("PostgreSQL " + actual + " >= " + needed)
                : ConditionEvaluationResult.disabled("needs PostgreSQL " + needed + " for " + required.get().reason()
                        + "; the test server is " + actual);
    }
}
