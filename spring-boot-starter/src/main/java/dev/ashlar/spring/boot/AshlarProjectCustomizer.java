package dev.ashlar.spring.boot;

import dev.ashlar.kernel.project.Project;

/**
 * Adjusts the project the start-up migrates before it runs, as Boot's {@code FlywayConfigurationCustomizer} adjusts
 * Flyway's configuration: define one as a bean to add timeouts, a listener or anything else {@link Project} takes that
 * no {@code ashlar.migrate.*} property sets. Every such bean is applied, in bean order; the project is also what the
 * Actuator endpoint and the health indicator read.
 *
 * <pre>
 * &#64;Bean
 * AshlarProjectCustomizer boundedLocks() {
 *     return project -&gt; project.timeouts(Timeouts.none().withLock(Duration.ofSeconds(10)));
 * }
 * </pre>
 */
@FunctionalInterface
public interface AshlarProjectCustomizer {
    /**
     * Called once, while the migrations bean is made, before the start-up migration.
     *
     * @param project the project as the properties configured it
     * @return the project to use ({@link Project} is immutable: return what its methods return); never null
     */
    Project customize(Project project);
}
