package dev.ashlar.spring.boot;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

import java.util.Set;

/** Tells Spring Boot that the start-up migration initialises the database, so that its users wait for it. */
final class AshlarMigrationInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {
    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(AshlarMigrationInitializer.class);
    }
}
