package dev.ashlar.testing.kit;

import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The extension behind {@link AshlarTest}: before the class's first test, applies its migrations to
 * the test class's database (from {@link PostgresExtension}); resolves {@link DataSource} parameters
 * to that database.
 */
public final class MigratedDatabaseExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(MigratedDatabaseExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        migrated(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return migrated(context).dataSource();
    }

    /** The test class's database with its migrations applied, migrating it on first use. */
    public static TestDatabase migrated(ExtensionContext context) {
        TestDatabase database = PostgresExtension.database(context);
        ExtensionContext classContext = context.getTestMethod().isPresent() ? context.getParent().orElse(context) : context;
        Path folder = migrationsOf(context.getRequiredTestClass());
        classContext.getStore(NAMESPACE).getOrComputeIfAbsent(database.name(),
                key -> new Migrator(database.dataSource(), folder).migrate());
        return database;
    }

    private static Path migrationsOf(Class<?> testClass) {
        String migrations = AnnotationSupport.findAnnotation(testClass, AshlarTest.class)
                .map(AshlarTest::migrations).orElse("migrations");
        Path folder = Path.of(migrations).toAbsolutePath();
        if (!Files.isDirectory(folder)) {
            throw new ExtensionConfigurationException("@AshlarTest(migrations = \"" + migrations + "\") on "
                    + testClass.getName() + ": there is no folder " + folder + "; give the folder of your migration "
                    + "files, relative to " + Path.of("").toAbsolutePath());
        }
        return folder;
    }
}
