package dev.ashlar.api.resource;

/**
 * A versioned set of database objects of the application's own, such as functions that checks, defaults and
 * calculations use: AshPostgres's {@code AshPostgres.CustomExtension} in a repo's {@code installed_extensions}.
 * The domain lists it ({@link Domain.Builder#customExtensions(CustomExtension...)}); codegen records its version
 * in the extensions snapshot and, when {@link #latestVersion()} is newer than the one recorded, writes
 * {@link #install(int)} from the recorded version (0 when none) into the main migrations, before the tables, with
 * {@link #uninstall(int)} back to it as the down section.
 *
 * <pre>{@code
 * record AppFunctions(int latestVersion) implements CustomExtension {
 *     public String name() { return "app_functions"; }
 *     public String install(int from) {
 *         return from < 1 ? "CREATE FUNCTION public.app_double(x integer) RETURNS integer ..." : "";
 *     }
 *     public String uninstall(int to) {
 *         return to < 1 ? "DROP FUNCTION public.app_double(integer);" : "";
 *     }
 * }
 * Domain.builder("shop").customExtensions(new AppFunctions(1)) ...
 * }</pre>
 */
public interface CustomExtension {

    /** Its name in the snapshots: letters, digits, {@code _} and {@code -}, at most 63 characters. */
    String name();

    /** The version {@link #install(int)} brings the database to; 1 or more, and never lower than one generated. */
    int latestVersion();

    /**
     * The SQL that brings the database from {@code fromVersion} (0: not installed) to {@link #latestVersion()}.
     * Written into a migration as given, so it is the application author's SQL, never a user's input.
     */
    String install(int fromVersion);

    /** The SQL that brings the database from {@link #latestVersion()} back to {@code toVersion} (0: removed). */
    String uninstall(int toVersion);
}
