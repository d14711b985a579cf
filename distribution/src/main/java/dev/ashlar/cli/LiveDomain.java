package dev.ashlar.cli;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.inspect.DatabaseInspector;
import dev.ashlar.kernel.inspect.InspectedDomain;
import dev.ashlar.kernel.inspect.InspectedTable;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * A live database's public schema as the resources {@code ashlar inspect} reads from it, and recorded as the snapshots
 * of a project folder: what {@code snapshot} writes and {@code diff-changelog} generates from. What no resource can
 * say is printed, as inspect prints it, so that nothing is left out silently.
 */
final class LiveDomain {
    static final String SCHEMA = "public";

    private LiveDomain() {
    }

    /**
     * The database's resources, each TODO of the inspection printed on {@code err} naming the database. A table without
     * a primary key is no resource: it is left out, said so, and no migration creates, changes or drops it.
     */
    static Domain read(Database database, String history, PrintWriter err) {
        DatabaseInspector inspector = new DatabaseInspector(database.dataSource(), SCHEMA, history);
        List<InspectedTable> all = inspector.tables();
        List<String> keyed = all.stream().filter(table -> table.columns().stream().anyMatch(
                InspectedTable.Column::primaryKey)).map(InspectedTable::name).toList();
        all.stream().filter(table -> !keyed.contains(table.name())).forEach(table -> err.println("TODO not in the "
                + "snapshots: " + database.description() + ": " + table.name() + ": has no primary key, which Ashlar "
                + "needs to compare a table: left out, no migration creates, changes or drops it"));
        // A foreign key to a table left out becomes a note of the table that has it.
        List<InspectedTable> tables = keyed.size() == all.size() ? all : keyed.isEmpty() ? List.of()
                : inspector.tables(keyed);
        InspectedDomain inspected = new InspectedDomain("live", tables, new PluginSections());
        inspected.tables().forEach(table -> table.notes().forEach(note -> err.println("TODO not in the snapshots: "
                + database.description() + ": " + table.name() + ": " + note)));
        return inspected.domain();
    }

    /** Records the database's resources as the latest snapshots under {@code folder}; returns the changes' count. */
    static int record(Database database, String history, Plugins plugins, Path folder, PrintWriter err) {
        return Project.open(folder).domain(read(database, history, err), plugins).recordSnapshots().size();
    }
}
