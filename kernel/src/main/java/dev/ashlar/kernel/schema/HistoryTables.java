package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The history of a resource that keeps it ({@code history()}), as Ebean makes it on PostgreSQL: the table gains the
 * period its row version is current ({@code sys_period}), {@code <table>_history} holds the versions updates and deletes
 * replaced, a trigger copies each into it with its period closed, and {@code <table>_with_history} unites both.
 * The history table is a table like any other to the differ, so a column added, dropped or renamed on the table is
 * added, dropped or renamed there too; the trigger and the view name every column, so they are made again with them.
 */
final class HistoryTables {
    /** The period column, named as Ebean names it. */
    static final String PERIOD = "sys_period";

    private HistoryTables() {
    }

    /** The table with its period column and the objects history needs, then its history table; or the table alone. */
    static List<Table> of(SchemaContext context, Table table) {
        Resource resource = context.resource();
        if (!resource.tableOptions().history()) {
            return List.of(table);
        }
        refuseLongNames(context.domain().name(), resource);
        if (table.columns().stream().anyMatch(c -> c.name().equals(PERIOD))) {
            throw DefinitionException.of(resource.name(), "history", "resource '" + resource.name() + "' keeps "
                    + "history but has a column named '" + PERIOD + "', the column history adds for each version's "
                    + "period: give that attribute another column name (a -> a.column(...)), or remove .history()");
        }
        List<Column> columns = new ArrayList<>(table.columns());
        columns.add(new Column(PERIOD, "tstzrange", false, "tstzrange(now(), NULL)", false, false));
        Set<String> excluded = resource.attributes().stream().filter(a -> a.column().historyExcluded())
                .map(Attribute::columnName).collect(Collectors.toSet());
        List<Column> kept = columns.stream().filter(c -> !excluded.contains(c.name())).toList();
        List<SchemaObject> guards = table.objects().stream().filter(o -> o.kind().equals(ObjectKind.ROW_LEVEL_SECURITY)
                && o.definition().get(ObjectKind.ROW_CONDITION) instanceof String).toList();
        List<String> policies = guards.stream().map(o -> (String) o.definition().get(ObjectKind.ROW_CONDITION)).toList();
        List<SchemaObject> objects = new ArrayList<>(table.objects());
        if (!resource.tableOptions().historyStopped()) {
            // Stopped, the history table, its versions and the view stay: only the trigger that records goes.
            objects.add(trigger(context, kept.stream().map(Column::name).toList()));
        }
        objects.add(view(context, columns, excluded, policies));
        Table versioned = new Table(table.scope(), table.schema(), table.name(), table.resource(), columns,
                table.primaryKey(), objects, table.options());
        // Past versions may be of any age: a column's NOT NULL, default or identity is the live table's business.
        List<Column> copied = kept.stream().map(c -> new Column(c.name(), c.type(), true, null, false, c.kept(),
                c.attribute(), c.enumType(), c.compositeType())).toList();
        String historyTable = Names.historyTable(table.name());
        List<SchemaObject> guarded = guards.stream().map(guard -> policy(context, historyTable, guard)).toList();
        Table history = new Table(table.scope(), table.schema(), historyTable, table.resource(), copied, List.of(),
                guarded);
        return List.of(versioned, history);
    }

    /**
     * The live table's row-level security repeated on its history (or draft) table: enabled and forced, with one policy
     * of the same name and condition, so hand-written SQL reads and writes there only what it may in the table.
     */
    static SchemaObject policy(SchemaContext context, String historyTable, SchemaObject guard) {
        String table = context.objectSql(historyTable);
        String condition = (String) guard.definition().get(ObjectKind.ROW_CONDITION);
        String name = Identifiers.quote(guard.name());
        return SchemaObject.builder(guard.name(), ObjectKind.ROW_LEVEL_SECURITY)
                .definition(Map.of(ObjectKind.ROW_CONDITION, condition))
                .up("ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY;\n"
                        + "ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY;\n"
                        + "CREATE POLICY " + name + " ON " + table + " USING (" + condition + ") WITH CHECK ("
                        + condition + ");")
                .down("DROP POLICY " + name + " ON " + table + ";\n"
                        + "ALTER TABLE " + table + " NO FORCE ROW LEVEL SECURITY;\n"
                        + "ALTER TABLE " + table + " DISABLE ROW LEVEL SECURITY;")
                .build();
    }

    /**
     * Before an update or delete, the row as it was goes into the history table, its period closed now. A period is
     * never empty and never goes back: a transaction that began before the row's version was written (it waited for
     * the writer's lock) closes it a microsecond after it opened, so the versions of a row stay contiguous and ordered.
     * The history table is named in the trigger's own schema ({@code TG_TABLE_SCHEMA}), so one function serves every
     * tenant schema.
     */
    private static SchemaObject trigger(SchemaContext context, List<String> columns) {
        String table = context.resource().table();
        String name = Names.historyTrigger(table);
        String function = context.objectSql(name);
        String quoted = columns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        String values = Stream.concat(columns.stream().filter(c -> !c.equals(PERIOD))
                        .map(c -> "($1)." + Identifiers.quote(c)), Stream.of("$2"))
                .collect(Collectors.joining(", "));
        // format() reads % as its own: a column name's is doubled.
        String insert = "INSERT INTO %I.%I (" + quoted.replace("%", "%%") + ") VALUES (" + values.replace("%", "%%") + ")";
        String body = "\nDECLARE\n"
                + "  opened timestamptz := lower(OLD." + PERIOD + ");\n"
                + "  closed timestamptz := greatest(opened + interval '1 microsecond', now());\n"
                + "BEGIN\n"
                + "  EXECUTE format(" + SqlLiterals.of(insert) + ", TG_TABLE_SCHEMA, "
                + SqlLiterals.of(Names.historyTable(table)) + ")\n"
                + "    USING OLD, tstzrange(opened, closed);\n"
                + "  IF TG_OP = 'UPDATE' THEN\n"
                + "    NEW." + PERIOD + " := tstzrange(closed, NULL);\n"
                + "    RETURN NEW;\n"
                + "  END IF;\n"
                + "  RETURN OLD;\n"
                + "END\n";
        // SECURITY DEFINER: a role may update or delete in the table without any right on its history table, which
        // only the trigger writes. Its search_path is fixed so that no caller's schema can shadow what it calls. No one
        // but its owner may execute it: a trigger fires without that right, while a role that hung the function on a
        // table of its own (in the same schema, which is TG_TABLE_SCHEMA) would write forged versions as the owner.
        String up = "CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER\n"
                + "  SET search_path = pg_catalog, pg_temp AS "
                + SqlLiterals.dollarQuoted("history", body) + ";\n"
                + "REVOKE EXECUTE ON FUNCTION " + function + "() FROM PUBLIC;\n"
                + "CREATE TRIGGER " + Identifiers.quote(name) + " BEFORE UPDATE OR DELETE ON " + context.tableSql()
                + " FOR EACH ROW EXECUTE FUNCTION " + function + "();";
        String down = "DROP TRIGGER IF EXISTS " + Identifiers.quote(name) + " ON " + context.tableSql() + ";\n"
                + "DROP FUNCTION IF EXISTS " + function + "();";
        return SchemaObject.builder(name, ObjectKind.TRIGGER)
                .definition(Map.of("keeps_history_of", columns, "runs_as", "owner")).up(up).down(down).build();
    }

    /**
     * The current rows and every past version, each with the period it was current; a column left out of the history
     * reads null in past versions. Its definition holds the columns' types: PostgreSQL refuses to change the type of a
     * column a view reads, so the view is made again around it.
     * <p>
     * Under row-level security the view filters the union of both tables by the policies' conditions and is a
     * {@code security_barrier}: a view reads its tables as its owner, which row-level security does not hold when it is
     * a superuser (or has {@code BYPASSRLS}), and {@code security_invoker} (PostgreSQL 15) is not on PostgreSQL 13.
     */
    private static SchemaObject view(SchemaContext context, List<Column> columns, Set<String> excluded,
                                     List<String> policies) {
        String table = context.resource().table();
        String name = Names.historyView(table);
        String current = columns.stream().map(c -> Identifiers.quote(c.name())).collect(Collectors.joining(", "));
        String past = columns.stream().map(c -> excluded.contains(c.name())
                        ? "CAST(NULL AS " + c.type() + ") AS " + Identifiers.quote(c.name()) : Identifiers.quote(c.name()))
                .collect(Collectors.joining(", "));
        String versions = "SELECT " + current + " FROM " + context.tableSql() + "\n"
                + "  UNION ALL\n"
                + "  SELECT " + past + " FROM " + context.objectSql(Names.historyTable(table));
        // The condition filters the union from outside: PostgreSQL flattens a view that is a bare UNION ALL into its
        // arms without keeping the barrier, and would run a caller's cheap function on every tenant's rows first.
        String up = "CREATE VIEW " + context.objectSql(name) + (policies.isEmpty() ? " AS\n  " + versions
                : " WITH (security_barrier) AS\n  SELECT " + current + " FROM (\n  " + versions + "\n  ) AS versions"
                + " WHERE " + policies.stream().map(p -> "(" + p + ")").collect(Collectors.joining(" AND "))) + ";";
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("unites", columns.stream().map(c -> c.name() + " " + c.type()
                + (excluded.contains(c.name()) ? " (not in history)" : "")).toList());
        if (!policies.isEmpty()) {
            definition.put("rows", policies);
        }
        return SchemaObject.builder(name, ObjectKind.of("view")).definition(definition).up(up)
                .down("DROP VIEW IF EXISTS " + context.objectSql(name) + ";").build();
    }

    /** Each name history adds is refused over 63 bytes, naming the longest table name that fits. */
    private static void refuseLongNames(String domain, Resource resource) {
        String table = resource.table();
        List<Problem> problems = Stream.of(
                        Names.tableDerivedProblem("the history table", table, Names.historyTable(table)),
                        Names.tableDerivedProblem("the history view", table, Names.historyView(table)),
                        Names.tableDerivedProblem("the history trigger", table, Names.historyTrigger(table)))
                .filter(p -> p != null).map(p -> new Problem(resource.name(), "history", p)).toList();
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain, problems);
        }
    }
}
