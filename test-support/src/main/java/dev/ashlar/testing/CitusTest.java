package dev.ashlar.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that runs against a real Citus cluster: it is in the {@code citus} test group,
 * gets a {@link TestDatabase} with Citus on every node (one per class: they take seconds to create),
 * and is skipped, with the reason, when no coordinator is named by the {@code ashlar.citus.url}
 * system property or the {@code ASHLAR_CITUS_JDBC_URL} environment variable.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("citus")
@ExtendWith(CitusExtension.class)
public @interface CitusTest {
}
