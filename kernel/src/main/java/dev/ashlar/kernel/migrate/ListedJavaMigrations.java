package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The Java migrations a project lists in {@code META-INF/services/dev.ashlar.kernel.migrate.JavaMigration}, one class
 * name a line, found with {@link ServiceLoader} as the domain and the plugins are: how the command line (over
 * {@code --classpath}) and the Maven plugin (over the project's classes) load them.
 */
public final class ListedJavaMigrations {
    /** The services file that lists them, as a user writes it. */
    public static final String SERVICES_FILE = "META-INF/services/" + JavaMigration.class.getName();

    private ListedJavaMigrations() {
    }

    /**
     * One instance of every class listed on this class loader, in the order listed (the run sorts them by version).
     *
     * @throws AshlarException naming the class and the fix, for one that is missing, does not implement
     *                         {@link JavaMigration}, has no public no-argument constructor or throws in it
     */
    public static List<JavaMigration> find(ClassLoader classes) {
        List<JavaMigration> found = new ArrayList<>();
        try {
            for (JavaMigration migration : ServiceLoader.load(JavaMigration.class, classes)) {
                found.add(migration);
            }
        } catch (ServiceConfigurationError e) {
            if (e.getCause() instanceof AshlarException named) {
                throw named;   // BaseJavaMigration's refusal of a badly named class already says which and why
            }
            throw new MigrationException(ErrorCode.MIGRATION, "A Java migration listed in " + SERVICES_FILE
                    + " cannot be loaded: " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")")
                    + ". List public classes implementing " + JavaMigration.class.getName() + " with a public "
                    + "no-argument constructor that does not throw, put their jar or classes folder on the class path, "
                    + "or remove the line.", SERVICES_FILE, null, null, e);
        }
        return found;
    }
}
