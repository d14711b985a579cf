package dev.ashlar.kernel.project;

import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.kernel.drift.Difference;
import dev.ashlar.kernel.drift.DriftCheck;
import dev.ashlar.kernel.drift.SchemaState;
import dev.ashlar.kernel.migrate.DryRun;
import dev.ashlar.kernel.migrate.MigrateRun;
import dev.ashlar.kernel.migrate.MigrationException;
import dev.ashlar.kernel.migrate.MigrationFile;
import dev.ashlar.kernel.migrate.Migrator;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Proves that the pending files roll back, as Liquibase's {@code update-testing-rollback} does ({@code ashlar migrate
 * --test-rollback}): applies them one at a time, reading the schemas' tables before each; rolls them back newest first,
 * checking after each down section that the tables, columns, constraints, indexes, triggers and policies are as they
 * were before its up section; then applies them again, and the pending repeatable files after them, once. For
 * development and CI databases: rows written to what the files made are lost with the rollback.
 */
final class RollbackRehearsal {
    private final Project project;
    private final Migrator migrator;
    private final DataSource dataSource;
    private final List<String> schemas;
    private final Consumer<String> progress;

    RollbackRehearsal(Project project, Migrator migrator, DataSource dataSource, List<String> schemas,
                      Consumer<String> progress) {
        this.project = project;
        this.migrator = migrator;
        this.dataSource = dataSource;
        this.schemas = List.copyOf(schemas);
        this.progress = progress;
    }

    /**
     * @return the files applied, once the rehearsal passed
     * @throws MigrationException naming the file whose down section did not undo its up section, with what differs;
     *                            that file and the later ones stay rolled back
     */
    List<MigrationFile> run(MigrateRun run) {
        // A repeatable file has no down section to rehearse, and `--to` would run it after the first versioned file,
        // before the tables it reads exist: the versioned files are applied one step at a time, the repeatable ones
        // once, by the last run.
        // The files an init script stands for are rehearsed one by one, as the steps below apply them.
        List<MigrationFile> files = project.dryRun(run).stream().filter(DryRun::migration)
                .flatMap(dry -> dry.migrations().stream()).filter(f -> !f.repeatable()).toList();
        migrator.checkRollback(files);
        List<Map<String, SchemaState>> before = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            before.add(DriftCheck.read(dataSource, schemas, migrator.history().name()));
            project.migrate(MigrateRun.all().steps(1));
        }
        for (int i = files.size() - 1; i >= 0; i--) {
            MigrationFile file = files.get(i);
            migrator.rollbackVersions(Set.of(file.version()));
            List<Difference> left = differences(before.get(i), DriftCheck.read(dataSource, schemas, migrator.history().name()));
            if (!left.isEmpty()) {
                throw new MigrationException(ErrorCode.MIGRATION, "The down section of " + file.fileName() + " does "
                        + "not undo its up section: after rolling it back, the schema differs from before it was "
                        + "applied (extra: left behind; missing: dropped too):\n  " + left.stream()
                        .map(Difference::toString).collect(Collectors.joining("\n  ")) + "\nFix its down section. "
                        + "It and the files after it stay rolled back; undo what is listed as extra by hand, then "
                        + "migrate again.", file.fileName());
            }
            progress.accept("rolled back " + file.fileName() + ": the schema is as before it");
        }
        return project.migrate(run);
    }

    private List<Difference> differences(Map<String, SchemaState> before, Map<String, SchemaState> after) {
        List<Difference> differences = new ArrayList<>();
        for (String schema : schemas) {
            differences.addAll(DriftCheck.compare(schema, before.get(schema), after.get(schema)));
        }
        return differences;
    }
}
