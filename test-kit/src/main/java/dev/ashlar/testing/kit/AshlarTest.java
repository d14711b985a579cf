package dev.ashlar.testing.kit;

import dev.ashlar.testing.PostgresExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class of your application on a real PostgreSQL: the class gets a fresh database with your
 * project's migrations applied by the kernel's {@code Migrator}, handed to its test and lifecycle
 * methods as a {@link javax.sql.DataSource} parameter (or a {@link dev.ashlar.testing.TestDatabase}),
 * and dropped after the class. A test that leaves a pooled connection borrowed fails.
 *
 * <pre>{@code
 * @AshlarTest(migrations = "migrations")
 * class PostsTest {
 *     @Test
 *     void createsAPost(DataSource dataSource) {
 *         try (Ashlar ashlar = Ashlar.builder().dataSource(dataSource).domain(new BlogDomain().domain()).build()) {
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * The server is an embedded PostgreSQL unless {@code ASHLAR_TEST_JDBC_URL} names a running one, or
 * {@code ASHLAR_TEST_IMAGE} a Docker image (see {@link dev.ashlar.testing.PostgresServer}).
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({PostgresExtension.class, MigratedDatabaseExtension.class})
public @interface AshlarTest {
    /**
     * The folder of migration files to apply, relative to the working directory (under Maven and
     * Gradle, the module's folder), e.g. {@code "migrations"}, where {@code ashlar codegen} writes them; or the
     * project folder that holds it ({@code "src/main/resources/db/ashlar"}, the Maven plugin's default); either
     * may be a {@code classpath:} location ({@code "classpath:db/ashlar"}, the Spring Boot starter's default).
     */
    String migrations() default "migrations";
}
