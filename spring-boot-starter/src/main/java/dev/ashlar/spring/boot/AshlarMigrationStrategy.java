package dev.ashlar.spring.boot;

/**
 * What the start-up does with the migrations instead of applying them, as Boot's {@code FlywayMigrationStrategy}:
 * define one as a bean to validate only, repair first, or migrate the tenants on a schedule of the application's own.
 * It runs where the start-up migration would, before any bean that uses the database is made. For example, a test
 * set-up that starts on a fresh schema, as Flyway users write {@code flyway.clean(); flyway.migrate()}:
 * <pre>{@code
 * @Bean
 * AshlarMigrationStrategy cleanThenMigrate() {
 *     return migrations -> {
 *         migrations.project().cleanEnabled(true).clean();
 *         migrations.migrate();
 *     };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface AshlarMigrationStrategy {
    void migrate(AshlarMigrations migrations);
}
