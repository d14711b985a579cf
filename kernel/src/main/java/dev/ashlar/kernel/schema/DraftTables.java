package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.internal.DraftableCheck;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The draft table of a draftable resource ({@code draftable()}, Ebean's {@code @Draftable}): {@code <table>_draft} has
 * the table's columns, key and row-level security, and a {@code draft_dirty} flag that a trigger sets whenever a draft
 * is inserted or changed. The differ keeps it in step like any table: a column added, dropped, renamed or retyped on
 * the table is so on the draft table in the same migration.
 */
final class DraftTables {
    private DraftTables() {
    }

    /** The draft table of the resource's table, when the resource is draftable. */
    static Optional<Table> of(SchemaContext context, Table table) {
        Resource resource = context.resource();
        if (!resource.tableOptions().draftable()) {
            return Optional.empty();
        }
        refuseLongNames(context.domain().name(), resource);
        String draftTable = Names.draftTable(table.name());
        List<Column> columns = new ArrayList<>(table.columns());
        columns.addAll(SchemaBuilder.columns(resource, resource.tableOptions().draftOnly(), table.schema()));
        columns.add(new Column(DraftableCheck.DIRTY, "boolean", false, "true", false, false));
        columns.add(new Column(DraftableCheck.LIVE, "boolean", false, "false", false, false));
        List<SchemaObject> guards = table.objects().stream()
                .filter(o -> o.kind().equals(ObjectKind.ROW_LEVEL_SECURITY)).toList();
        guards.stream().filter(o -> !(o.definition().get(ObjectKind.ROW_CONDITION) instanceof String)).findFirst()
                .ifPresent(o -> {
                    throw DefinitionException.of(resource.name(), "draftable", "resource '" + resource.name() + "' is "
                            + "draftable, but its row-level security '" + o.name() + "' gives no condition for the "
                            + "draft table, which would be left unguarded: give it under the definition key "
                            + ObjectKind.ROW_CONDITION + ", or remove .draftable()");
                });
        List<SchemaObject> objects = new ArrayList<>(guards.stream()
                .map(guard -> HistoryTables.policy(context, draftTable, guard)).toList());
        // Besides the reset columns, those every update through Ashlar writes by itself (the updated_at of
        // timestamps(), the resource's lock version): publish's own update that cleans the draft writes them too.
        List<String> reset = Stream.concat(resource.tableOptions().draftReset().stream()
                        .map(a -> resource.attribute(a).orElseThrow().columnName()),
                resource.attributes().stream().filter(a -> a.column().touchOnUpdate()
                        || a.name().equals(resource.optimisticLock())).map(Attribute::columnName)).distinct().toList();
        objects.add(dirtyTrigger(context, draftTable, reset));
        return Optional.of(new Table(table.scope(), table.schema(), draftTable, table.resource(), columns,
                table.primaryKey(), objects));
    }

    /**
     * Marks a draft dirty when it is inserted, or updated in any column but the flag, the reset columns and the columns
     * an update writes by itself: publish and restore clear the flag and the reset columns alone, which leaves it clear
     * (Ebean's {@code @DraftDirty}).
     */
    private static SchemaObject dirtyTrigger(SchemaContext context, String draftTable, List<String> reset) {
        String name = Names.draftDirtyTrigger(context.resource().table());
        String function = context.objectSql(name);
        String ignored = Stream.concat(Stream.of(DraftableCheck.DIRTY, DraftableCheck.LIVE), reset.stream())
                .map(SqlLiterals::of).collect(Collectors.joining(", ", "ARRAY[", "]::text[]"));
        String body = "\nBEGIN\n"
                + "  IF TG_OP = 'INSERT' OR to_jsonb(NEW) - " + ignored + " IS DISTINCT FROM to_jsonb(OLD) - "
                + ignored + " THEN\n"
                + "    NEW." + Identifiers.quote(DraftableCheck.DIRTY) + " := true;\n"
                + "  END IF;\n"
                + "  RETURN NEW;\n"
                + "END\n";
        String table = context.objectSql(draftTable);
        // It runs as the caller (it writes nothing but NEW); its search_path is fixed all the same, so that no
        // caller's schema can shadow the operators and functions it calls.
        String up = "CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql\n"
                + "  SET search_path = pg_catalog, pg_temp AS "
                + SqlLiterals.dollarQuoted("draft", body) + ";\n"
                + "CREATE TRIGGER " + Identifiers.quote(name) + " BEFORE INSERT OR UPDATE ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION " + function + "();";
        String down = "DROP TRIGGER IF EXISTS " + Identifiers.quote(name) + " ON " + table + ";\n"
                + "DROP FUNCTION IF EXISTS " + function + "();";
        return SchemaObject.builder(name, ObjectKind.TRIGGER).definition(Map.of("clean_on_change_of", reset))
                .up(up).down(down).build();
    }

    /** Each name drafts add is refused over 63 bytes, naming the longest table name that fits. */
    private static void refuseLongNames(String domain, Resource resource) {
        String table = resource.table();
        List<DefinitionException.Problem> problems = Stream.of(
                        Names.tableDerivedProblem("the draft table", table, Names.draftTable(table)),
                        Names.tableDerivedProblem("the draft trigger", table, Names.draftDirtyTrigger(table)))
                .filter(p -> p != null).map(p -> new DefinitionException.Problem(resource.name(), "draftable", p))
                .toList();
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain, problems);
        }
    }
}
