package dev.ashlar.spring.boot;

import dev.ashlar.kernel.Ashlar;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

import java.util.Set;

/** Tells Spring Boot that the Ashlar bean uses the database, so that it is made after the migrations. */
final class AshlarDependsOnMigrationsDetector extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {
    @Override
    protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
        return Set.of(Ashlar.class);
    }
}
