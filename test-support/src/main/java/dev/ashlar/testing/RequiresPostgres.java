package dev.ashlar.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that needs a newer PostgreSQL than the oldest supported; on an older server it is
 * skipped with the reason, e.g. {@code @RequiresPostgres(value = 15, reason = "NULLS NOT DISTINCT")}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresVersionCondition.class)
public @interface RequiresPostgres {
    /** The oldest major version the test can run on. */
    int value();

    /** The feature that needs it. */
    String reason();
}
