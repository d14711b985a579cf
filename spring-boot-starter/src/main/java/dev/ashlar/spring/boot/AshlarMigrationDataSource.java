package dev.ashlar.spring.boot;

import org.springframework.beans.factory.annotation.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code DataSource} bean the start-up migrations run on, as {@code @FlywayDataSource} does for Flyway: a
 * connection with the rights to change the schema while the application's own {@code DataSource} (its
 * {@code @Primary} one, when there are two) has only the rights to read and write rows.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface AshlarMigrationDataSource {
}
