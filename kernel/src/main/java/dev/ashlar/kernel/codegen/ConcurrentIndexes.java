package dev.ashlar.kernel.codegen;

import dev.ashlar.kernel.diff.MigrationStep;
import dev.ashlar.kernel.diff.MigrationStep.AddObject;
import dev.ashlar.kernel.diff.MigrationStep.CreateTable;
import dev.ashlar.spi.schema.SchemaObject;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds every new index on a table that already exists with {@code CONCURRENTLY}
 * ({@code codegen --concurrent-indexes}, AshPostgres's {@code --concurrent-indexes}): writes go on while it is
 * built. PostgreSQL refuses {@code CREATE INDEX CONCURRENTLY} inside a transaction, so such a step gets a
 * {@code transaction:false} file of its own. A new table's indexes stay plain: nobody uses the table yet.
 */
final class ConcurrentIndexes {
    private static final Pattern CREATE = Pattern.compile("^CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)");
    private static final Pattern DROP = Pattern.compile("^DROP INDEX (?!CONCURRENTLY)");

    private ConcurrentIndexes() {
    }

    static List<MigrationStep> apply(List<MigrationStep> steps) {
        Set<String> created = steps.stream().filter(CreateTable.class::isInstance).map(s -> s.table().key())
                .collect(Collectors.toSet());
        return steps.stream().map(step -> step instanceof AddObject add && !created.contains(add.table().key())
                && singleIndex(add.object()) ? new AddObject(add.table(), concurrent(add.object())) : step).toList();
    }

    /** A lone {@code CREATE INDEX} statement: a statement list could not run outside a transaction safely. */
    private static boolean singleIndex(SchemaObject object) {
        return CREATE.matcher(object.up()).find() && DROP.matcher(object.down()).find()
                && object.up().indexOf(';') == object.up().length() - 1 && object.down().indexOf(';') == object.down().length() - 1;
    }

    private static SchemaObject concurrent(SchemaObject object) {
        Matcher create = CREATE.matcher(object.up());
        String up = create.replaceFirst("CREATE " + (create.find() && create.group(1) != null ? "UNIQUE " : "")
                + "INDEX CONCURRENTLY ");
        String down = DROP.matcher(object.down()).replaceFirst("DROP INDEX CONCURRENTLY ");
        return object.toBuilder().up(up).down(down).nonTransactional().build();
    }
}
