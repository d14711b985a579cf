package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Extending;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.resource.WriteStatements;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.schema.SchemaBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The statements that write a record of a resource extending another ({@code extending(parent)}, Hibernate's joined
 * inheritance) across the parent's table and its own, each one statement, so that no write keeps half a record:
 * <ul>
 *   <li>create: {@code WITH "ashlar_parent" AS (INSERT INTO "animals" (...) VALUES (...) RETURNING "id") INSERT INTO
 *   "dogs" ("id", ...) VALUES ((SELECT "id" FROM "ashlar_parent"), ...) RETURNING "id"}: the key generated in the
 *   parent's table, if it is, goes to the child's;</li>
 *   <li>update: the parent's row, then the child's row joined to it, each table's own columns;</li>
 *   <li>destroy: {@code DELETE FROM "animals" WHERE "id" = :id}, the child's row deleted by its foreign key's
 *   {@code ON DELETE CASCADE}; a soft delete sets its mark in the table that holds it.</li>
 * </ul>
 * They run as a resource's own write statements do ({@link CustomStatements}): the record found and locked in the
 * handle's scope first (tenant, base filter, policy, version), each count checked to be one.
 */
final class JoinedStatements {
    private static final String PARENT = Identifiers.quote("ashlar_parent");

    private JoinedStatements() {
    }

    /** The three statements of a joined resource, their tables unqualified where the resource names no schema. */
    static WriteStatements of(ResourcePlan plan) {
        Resource resource = plan.resource();
        Extending extending = resource.tableOptions().extending();
        String parent = Identifiers.qualify(extending.schema(), extending.table());
        String child = Identifiers.qualify(resource.schema(), resource.table());
        List<Attribute> inherited = new ArrayList<>();
        List<Attribute> own = new ArrayList<>();
        for (Attribute attribute : resource.attributes()) {
            (extending.columns().contains(attribute.columnName()) ? inherited : own).add(attribute);
        }
        List<Attribute> key = resource.primaryKey();
        return new WriteStatements(create(resource, parent, child, inherited, own, key),
                update(plan, parent, child, inherited, own, key), destroy(resource, parent, child, own, key));
    }

    /**
     * The destroy of {@code ashlar.permanently()} for a soft-deleting resource: the parent's row deleted (the child's
     * with it), or null when the resource's destroy already deletes.
     */
    static String purge(ResourcePlan plan) {
        Resource resource = plan.resource();
        Extending extending = resource.tableOptions().extending();
        return resource.softDelete() == null ? null
                : "DELETE FROM " + Identifiers.qualify(extending.schema(), extending.table()) + " WHERE "
                + byKey(resource.primaryKey());
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
        for (Map<String, ?> record : records) {
            for (Attribute attribute : resource.attributes()) {
                String name = attribute.name();
                if (attribute.generated() && record.get(name) != null) {
                    throw QueryException.of(plan.name(), name, "Resource '" + plan.name() + "' extends '" + parent
                            + "', whose table numbers '" + name + "' itself, and its create cannot store a given '"
                            + name + "' (" + record.get(name) + "): leave '" + name + "' out of the record (from a "
                            + "read, name the fields to copy with createAll(resource, read, fields), without '" + name
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

    private static String create(Resource resource, String parent, String child, List<Attribute> inherited,
                                 List<Attribute> own, List<Attribute> key) {
        // An identity key is the parent table's to number; a default (a generated uuid) applies when none is given.
        List<Attribute> written = inherited.stream().filter(a -> !a.generated()).toList();
        List<Attribute> ownWritten = own.stream().filter(a -> !a.primaryKey()).toList();
        String parentRow = written.isEmpty() ? " DEFAULT VALUES" : " (" + columns(written) + ") VALUES ("
                + list(written, a -> value(resource, a)) + ")";
        return "WITH " + PARENT + " AS (INSERT INTO " + parent + parentRow + " RETURNING " + columns(key) + ") INSERT INTO " + child
                + " (" + columns(key) + (ownWritten.isEmpty() ? "" : ", " + columns(ownWritten)) + ") VALUES ("
                + list(key, a -> "(SELECT " + quoted(a) + " FROM " + PARENT + ")")
                + (ownWritten.isEmpty() ? "" : ", " + list(ownWritten, a -> value(resource, a))) + ") RETURNING "
                + columns(key);
    }

    private static String update(ResourcePlan plan, String parent, String child, List<Attribute> inherited,
                                 List<Attribute> own, List<Attribute> key) {
        List<String> fixed = plan.tenantColumns().stream().map(ColumnPlan::name).toList();
        Function<List<Attribute>, List<Attribute>> settable = attributes -> attributes.stream()
                .filter(a -> !a.primaryKey() && !a.generated() && !fixed.contains(a.name())).toList();
        return "WITH " + PARENT + " AS (UPDATE " + parent + " SET " + assignments(settable.apply(inherited), key, parent)
                + " WHERE " + byKey(key) + " RETURNING " + columns(key) + ") UPDATE " + child + " SET "
                + assignments(settable.apply(own), key, child) + " FROM " + PARENT + " WHERE "
                + list(key, a -> child + "." + quoted(a) + " = " + PARENT + "." + quoted(a), " AND ");
    }

    private static String destroy(Resource resource, String parent, String child, List<Attribute> own,
                                  List<Attribute> key) {
        if (resource.softDelete() == null) {
            return "DELETE FROM " + parent + " WHERE " + byKey(key);
        }
        Attribute mark = resource.attribute(resource.softDelete()).orElseThrow();
        String value = mark.type() != Type.BOOLEAN ? "now()" : resource.softDeleteClears() ? "false" : "true";
        return "UPDATE " + (own.contains(mark) ? child : parent) + " SET " + quoted(mark) + " = " + value + " WHERE "
                + byKey(key);
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
