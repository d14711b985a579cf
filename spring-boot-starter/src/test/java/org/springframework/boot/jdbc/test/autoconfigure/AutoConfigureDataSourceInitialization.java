package org.springframework.boot.jdbc.test.autoconfigure;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A stand-in for Spring Boot's annotation of this name in its spring-boot-jdbc-test module (not a dependency here),
 * declared as Boot declares it; the other stand-in has the name spring-boot-test-autoconfigure gives it, as Boot 4
 * releases name it one way or the other: {@code @JdbcTest}, {@code @DataJdbcTest} and {@code @DataJpaTest} carry it, and its
 * {@code @ImportAutoConfiguration} reads the {@code META-INF/spring/<this name>.imports} files of the class path.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureDataSourceInitialization {
}
