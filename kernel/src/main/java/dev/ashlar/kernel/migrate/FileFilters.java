package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.util.List;
import java.util.Set;

/**
 * What a file's headers say of the runs that apply it, as a Liquibase changeset's {@code context} and {@code labels}:
 * {@code -- context: test or dev} (an expression over the run's contexts) and {@code -- labels: billing, eu} (names
 * that the run's label expression reads). A file without them is applied by every run.
 *
 * @param context      the context expression, or null for none
 * @param labels       the labels, lower case; empty for none
 * @param precondition its {@code -- precondition:} header, checked when it would run, or null for none
 * @param runAlways    its {@code -- run-always} header (Liquibase's {@code runAlways}): a repeatable file that every
 *                     migrate runs, changed or not
 * @param tag          its {@code -- tag: NAME} header (Liquibase's {@code tagDatabase} changeset): the tag its history
 *                     row gets when it is applied, and the bound of {@code migrate --to-tag NAME}; null for none
 * @param validChecksums its {@code -- valid-checksum:} headers (Liquibase's {@code validCheckSum}): the checksums, in
 *                     hex, that an applied file's history row may hold though the file changed since, or
 *                     {@link #ANY_CHECKSUM} for every one; empty for none
 * @param failOnError  false for its {@code -- fail-on-error: false} header (Liquibase's {@code failOnError}): when a
 *                     statement of it fails, it is rolled back and left pending, and the run goes on
 * @param dbms         its {@code -- dbms:} header (Liquibase's {@code dbms}), or null for none; a file whose header
 *                     leaves PostgreSQL out is not read into the migrations at all
 */
public record FileFilters(String context, Set<String> labels, Precondition precondition, boolean runAlways,
                          String tag, Set<String> validChecksums, boolean failOnError, Dbms dbms) {
    /** No context, labels, precondition, run-always, tag or valid checksum: every run applies the file, once. */
    public static final FileFilters NONE = new FileFilters(null, Set.of(), null, false, null, Set.of(), true, null);
    /** The valid checksum that accepts whatever the history recorded ({@code -- valid-checksum: any}). */
    public static final String ANY_CHECKSUM = "any";

    public FileFilters {
        labels = Set.copyOf(labels);
        validChecksums = validChecksums == null ? Set.of() : Set.copyOf(validChecksums);
    }

    /** A context and labels, without a precondition. */
    public FileFilters(String context, Set<String> labels) {
        this(context, labels, null, false, null, Set.of(), true, null);
    }

    /** Whether the file is for PostgreSQL: it has no {@code -- dbms:} header, or one that includes it. */
    public boolean forPostgresql() {
        return dbms == null || dbms.includesPostgresql();
    }

    /** Whether a valid-checksum header accepts this checksum recorded in the history. */
    public boolean accepts(String recorded) {
        return validChecksums.contains(ANY_CHECKSUM) || validChecksums.contains(recorded);
    }

    /**
     * Whether a run with these contexts and this label expression applies the file, as Liquibase decides: a run that
     * gives no contexts (empty) or no label expression (null) does not filter by them, and a file without a context
     * or without labels passes that filter, unless the expression marks a name required ({@code @seed}).
     */
    public boolean selectedBy(Set<String> contexts, String labelExpression, String fileName) {
        boolean byContext = context == null
                || FilterExpression.matches(context, contexts, "The context of " + fileName);
        return byContext && (labelExpression == null
                || FilterExpression.matches(labelExpression, labels, "The label expression"));
    }

    /**
     * The tenant files, none of which may have a context, labels, a precondition or run-always: tenant runs apply every
     * tenant file, once.
     *
     * @throws MigrationException naming the first file with such a header
     */
    public static List<MigrationFile> noneIn(List<MigrationFile> tenantFiles) {
        for (MigrationFile file : tenantFiles) {
            if (file.filters().runAlways()) {
                throw new MigrationException(ErrorCode.MIGRATION, "Tenant migration " + file.path() + " has a "
                        + "'-- run-always' header, which only the main schema's repeatable files take: tenant runs apply "
                        + "each tenant file once per schema. Put what must run at every tenant migrate in "
                        + "tenant_migrations/afterMigrate.sql, or remove the header. Nothing was applied.",
                        file.fileName());
            }
            FileFilters filters = file.filters();
            if (!(filters.dbms() == null ? filters
                    : new FileFilters(filters.context(), filters.labels(), filters.precondition(), filters.runAlways(),
                            filters.tag(), filters.validChecksums(), filters.failOnError(), null)).equals(NONE)) {
                throw new MigrationException(ErrorCode.MIGRATION, "Tenant migration " + file.path() + " has a "
                        + "'-- context:', '-- labels:', '-- precondition:', '-- tag:', '-- valid-checksum:' or "
                        + "'-- fail-on-error:' header, but those concern the main schema's files only: every tenant "
                        + "schema applies every tenant file (tag tenant schemas with 'ashlar tag NAME --tenants'). Remove "
                        + "the header. Nothing was applied.", file.fileName());
            }
        }
        return tenantFiles;
    }
}
