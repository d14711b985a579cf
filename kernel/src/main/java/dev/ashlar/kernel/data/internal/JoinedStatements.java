package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.resource.WriteStatements;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.schema.SchemaBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The statements that write a record of a resource extending another ({@code extending(parent)}, Hibernate's joined
 * inheritance) across the tables of its chain ({@link JoinedTables}: the root's, each parent's, its own), each one
 * statement, so that no write keeps part of a record:
 * <ul>
 *   <li>create: {@code WITH "ashlar_0" AS (INSERT INTO "animals" (...) VALUES (...) RETURNING "id") INSERT INTO
 *   "dogs" ("id", ...) VALUES ((SELECT "id" FROM "ashlar_0"), ...) RETURNING "id"}, one insert a table, root first:
 *   the key generated in the root's table, if it is, goes down to every other;</li>
 *   <li>update: the tables holding a changed field (and those holding an update time, which moves on every change),
 *   root first, each joined to the one before, so that the count is one only when each wrote the record;</li>
 *   <li>destroy: {@code DELETE FROM "animals" WHERE "id" = :id}, the rows below deleted by their foreign keys'
 *   {@code ON DELETE CASCADE}; a soft delete sets its mark in the table that holds it.</li>
 * </ul>
 * They run as a resource's own write statements do ({@link CustomStatements}): the record found and locked in the
 * handle's scope first (tenant, base filter, policy, version), each count checked to be one.
 */
final class JoinedStatements {
    private JoinedStatements() {
    }

    /**
     * The three statements of a joined resource, their tables unqualified where the resource names no schema; its
     * update writes every table.
     */
    static WriteStatements of(ResourcePlan plan) {
        Resource resource = plan.resource();
        List<JoinedTables.Table> tables = JoinedTables.of(resource, null);
        return new WriteStatements(create(resource, tables), update(plan, (1 << tables.size()) - 1),
                destroy(resource, tables));
    }

    /**
     * The destroy of {@code ashlar.permanently()} for a soft-deleting resource: the root's row deleted (the rows below
     * with it), or null when the resource's destroy already deletes.
     */
    static String purge(ResourcePlan plan) {
        Resource resource = plan.resource();
        return resource.softDelete() == null ? null
                : "DELETE FROM " + JoinedTables.of(resource, null).get(0).sql() + " WHERE "
                + byKey(resource.primaryKey());
    }

    /**
     * The tables an update of these fields writes, one bit each, the root's lowest: those storing a field given, and,
     * when any is, those holding an update time; the resource's own when none does, so that the update still counts
     * the record.
     */
    static int tablesWritten(ResourcePlan plan, Collection<String> fields) {
        Resource resource = plan.resource();
        List<JoinedTables.Table> tables = JoinedTables.of(resource, null);
        int written = 0;
        for (int level = 0; level < tables.size(); level++) {
            for (Attribute attribute : settable(plan, tables.get(level))) {
                if (fields.contains(attribute.name()) || !fields.isEmpty() && attribute.column().touchOnUpdate()) {
                    written |= 1 << level;
                }
            }
        }
        return written == 0 ? 1 << (tables.size() - 1) : written;
    }

    /**
     * Refuses a created record the one statement serving every record would not store as given: null for an attribute
     * with a default, where it stores the default ({@link #value}), or a value for a key the parent's table numbers
     * itself (an identity), which it never names.
     *
     * @throws QueryException naming the resource, the attribute and what to do instead
     */
    static void refuseNullForDefault(ResourcePlan plan, List<? extends Map<String, ?>> records) {
        Resource resource = plan.resource();
        String parent = resource.tableOptions().extending().parent();
        String root = resource.tableOptions().extending().ancestors().get(0).parent();
        for (Map<String, ?> record : records) {
            for (Attribute attribute : resource.attributes()) {
                String name = attribute.name();
                if (attribute.generated() && record.get(name) != null) {
                    throw QueryException.of(plan.name(), name, "Resource '" + plan.name() + "' extends '" + parent
                            + "', " + (root.equals(parent) ? "" : "which extends '" + root + "', ")
                            + "whose table numbers '" + name + "' itself, and its create cannot store a given '" + name
                            + "' (" + record.get(name) + "): leave '" + name + "' out of the record (from a read, "
                            + "name the fields to copy with createAll(resource, read, fields), without '" + name
                            + "')");
                }
                if (record.containsKey(name) && record.get(name) == null
                        && !attribute.generated() && SchemaBuilder.defaultSql(attribute, resource.schema()) != null) {
                    throw QueryException.of(plan.name(), name, "Resource '" + plan.name() + "' extends '" + parent
                            + "', and its create stores the default of '" + name + "' where it is given null: leave '"
                            + name + "' out of the record for its default (from a read, name the fields to copy with "
                            + "createAll(resource, read, fields), without '" + name + "'), or create the record and "
                            + "update '" + name + "' to null");
                }
            }
        }
    }

    private static String create(Resource resource, List<JoinedTables.Table> tables) {
        List<Attribute> key = resource.primaryKey();
        StringBuilder sql = new StringBuilder("WITH ");
        for (int level = 0; level < tables.size(); level++) {
            List<Attribute> written = tables.get(level).stored().stream().filter(a -> !a.generated()).toList();
            sql.append(level == 0 ? "" : level == tables.size() - 1 ? " " : ", ")
                    .append(level == tables.size() - 1 ? "" : JoinedTables.alias(level) + " AS (")
                    .append("INSERT INTO ").append(tables.get(level).sql());
            if (level == 0) {
                // An identity key is the root table's to number; a default (a generated uuid) applies when none is
                // given.
                List<Attribute> root = Stream.concat(key.stream(), written.stream()).filter(a -> !a.generated())
                        .toList();
                sql.append(root.isEmpty() ? " DEFAULT VALUES" : " (" + columns(root) + ") VALUES ("
                        + list(root, a -> value(resource, a)) + ")");
            } else {
                String above = JoinedTables.alias(level - 1);
                sql.append(" (").append(columns(key)).append(written.isEmpty() ? "" : ", " + columns(written))
                        .append(") VALUES (").append(list(key, a -> "(SELECT " + quoted(a) + " FROM " + above + ")"))
                        .append(written.isEmpty() ? "" : ", " + list(written, a -> value(resource, a))).append(")");
            }
            sql.append(" RETURNING ").append(columns(key)).append(level == tables.size() - 1 ? "" : ")");
        }
        return sql.toString();
    }

    /** The update of the tables {@code written} ({@link #tablesWritten}), each but the first joined to the one above. */
    static String update(ResourcePlan plan, int written) {
        List<JoinedTables.Table> tables = JoinedTables.of(plan.resource(), null);
        List<Attribute> key = plan.resource().primaryKey();
        List<Integer> levels = new ArrayList<>();
        for (int level = 0; level < tables.size(); level++) {
            if ((written & 1 << level) != 0) {
                levels.add(level);
            }
        }
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < levels.size(); i++) {
            boolean last = i == levels.size() - 1;
            JoinedTables.Table table = tables.get(levels.get(i));
            sql.append(i == 0 ? last ? "" : "WITH " : last ? " " : ", ")
                    .append(last ? "" : JoinedTables.alias(levels.get(i)) + " AS (")
                    .append("UPDATE ").append(table.sql()).append(" SET ")
                    .append(assignments(settable(plan, table), key, table.sql()));
            if (i == 0) {
                sql.append(" WHERE ").append(byKey(key));
            } else {
                String before = JoinedTables.alias(levels.get(i - 1));
                sql.append(" FROM ").append(before).append(" WHERE ")
                        .append(list(key, a -> table.sql() + "." + quoted(a) + " = " + before + "." + quoted(a),
                                " AND "));
            }
            // Qualified: a table joined to the one before has two columns of each key name.
            sql.append(last ? "" : " RETURNING " + list(key, a -> table.sql() + "." + quoted(a)) + ")");
        }
        return sql.toString();
    }

    /** What an update sets in a table: its attributes but the key, a generated one and the tenant's. */
    private static List<Attribute> settable(ResourcePlan plan, JoinedTables.Table table) {
        List<String> fixed = plan.tenantColumns().stream().map(ColumnPlan::name).toList();
        return table.stored().stream().filter(a -> !a.generated() && !fixed.contains(a.name())).toList();
    }

    private static String destroy(Resource resource, List<JoinedTables.Table> tables) {
        if (resource.softDelete() == null) {
            return "DELETE FROM " + tables.get(0).sql() + " WHERE " + byKey(resource.primaryKey());
        }
        Attribute mark = resource.attribute(resource.softDelete()).orElseThrow();
        String value = mark.type() != Type.BOOLEAN ? "now()" : resource.softDeleteClears() ? "false" : "true";
        return "UPDATE " + tables.get(JoinedTables.storing(resource, mark)).sql() + " SET " + quoted(mark) + " = "
                + value + " WHERE " + byKey(resource.primaryKey());
    }

    /** The stored value with the changes over it; an update time is now(), as the data layer's own update sets it. */
    private static String assignments(List<Attribute> set, List<Attribute> key, String table) {
        if (set.isEmpty()) {
            // A table with nothing of its own to change still takes part, so that the statement counts the record.
            return quoted(key.get(0)) + " = " + table + "." + quoted(key.get(0));
        }
        return list(set, a -> quoted(a) + " = " + (a.column().touchOnUpdate() ? "now()" : ":" + a.name()));
    }

    /**
     * A created value: the record's, or the column's default where it gives none (one statement serves every record,
     * so a null given for such an attribute is refused before it runs: {@link #refuseNullForDefault}).
     */
    private static String value(Resource resource, Attribute attribute) {
        String fallback = SchemaBuilder.defaultSql(attribute, resource.schema());
        return fallback == null ? ":" + attribute.name() : "COALESCE(:" + attribute.name() + ", " + fallback + ")";
    }

    private static String byKey(List<Attribute> key) {
        return list(key, a -> quoted(a) + " = :" + a.name(), " AND ");
    }

    private static String columns(List<Attribute> attributes) {
        return list(attributes, JoinedStatements::quoted);
    }

    private static String list(List<Attribute> attributes, Function<Attribute, String> each) {
        return list(attributes, each, ", ");
    }

    private static String list(List<Attribute> attributes, Function<Attribute, String> each, String separator) {
        return String.join(separator, attributes.stream().map(each).toList());
    }

    private static String quoted(Attribute attribute) {
        return Identifiers.quote(attribute.columnName());
    }
}
