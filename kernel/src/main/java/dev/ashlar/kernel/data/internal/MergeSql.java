package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.kernel.data.Merge;
import dev.ashlar.kernel.data.MergeResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code MERGE} statement of a merge: the given records as a {@code VALUES} list, every value bound and cast to
 * its column's type, named {@code excluded} so that {@link Filter#incoming(String)} names a record's value as in an
 * upsert; the stored row named by the table's own name ({@link OnConflict#stored}), each of its columns qualified,
 * since a bare name would be ambiguous beside the record's.
 *
 * <p>PostgreSQL 17 returns rows from a merge, and {@code merge_action()} tells which action wrote each, so there the
 * statement counts them by action; on 15 and 16 the server reports the total alone.
 */
final class MergeSql {
    /** The alias of the given records: {@code EXCLUDED}, which {@link Filter.Incoming} names. */
    private static final String GIVEN = "excluded";

    private final ResourcePlan plan;
    private final String schema;
    private final String stored;

    /**
     * The parts a merge's statement is made of, worked out by the data layer.
     *
     * @param columns the columns each record gives, in order
     * @param records the records, each giving exactly those columns
     * @param scope   what the stored row must meet to be found at all (its tenant, not marked deleted), or null
     * @param stamps  what every write of a stored row also sets (the version counted up, the user who wrote it)
     * @param marking what marks a stored row deleted, or empty when a delete deletes it
     */
    record Parts(List<ColumnPlan> columns, List<? extends Map<String, ?>> records, Filter scope,
                 Map<ColumnPlan, Object> stamps, Map<ColumnPlan, Object> marking) {
    }

    MergeSql(ResourcePlan plan, String schema) {
        // A merge matches and compares the given records with the stored rows column by column, as stored.
        plan.refuseExpressions("A merge", true);
        this.plan = plan;
        this.schema = schema;
        this.stored = OnConflict.stored(plan);
    }

    /**
     * The statement; with {@code counted} ({@code server >= 17}) one row per action: its name and how many records
     * it wrote.
     */
    SqlStatement render(Merge merge, Parts parts, boolean counted) {
        SqlWriter out = SqlWriter.rendering();
        if (counted) {
            out.append("WITH \"merged\" AS (");
        }
        out.append("MERGE INTO ").append(plan.table(schema)).append(" AS ").append(stored).append(" USING (VALUES ");
        values(parts, out);
        out.append(") AS ").append(GIVEN).append(" (").append(String.join(", ", parts.columns().stream()
                .map(ColumnPlan::quoted).toList())).append(") ON ");
        FilterRenderer storedRow = new FilterRenderer(plan, out, null, stored + ".", parts.columns());
        for (int i = 0; i < merge.on().size(); i++) {
            ColumnPlan column = plan.column(merge.on().get(i));
            out.append(i == 0 ? "" : " AND ").append(column.compared(stored + ".")).append(" = ")
                    .append(column.compared(GIVEN + "."));
        }
        if (parts.scope() != null) {
            out.append(" AND (");
            new FilterRenderer(plan, out, null, stored + ".").filter(parts.scope());
            out.append(")");
        }
        for (Merge.Clause clause : merge.clauses()) {
            out.append(clause.matched() ? " WHEN MATCHED" : " WHEN NOT MATCHED");
            if (clause.condition() != null) {
                out.append(" AND (");
                (clause.matched() ? storedRow : new FilterRenderer(plan, out, null, GIVEN + ".", parts.columns()))
                        .filter(clause.condition());
                out.append(")");
            }
            out.append(" THEN ");
            act(clause, parts, merge.on(), storedRow);
        }
        if (counted) {
            out.append(" RETURNING ");
            deletedAs(parts, storedRow);
            out.append(" AS \"action\") SELECT \"action\", count(*) FROM \"merged\" GROUP BY \"action\"");
        }
        List<Bind> binds = out.binds();
        if (binds.size() > Bind.MAX_PER_STATEMENT) {
            throw QueryException.of(plan.name(), null, "A merge of " + parts.records().size() + " " + plan.name()
                    + " records binds " + binds.size() + " values, and PostgreSQL takes at most "
                    + Bind.MAX_PER_STATEMENT + " in one statement: merge them in smaller lists");
        }
        return new SqlStatement(out.sql(), binds, null, new Codec[0], false);
    }

    /** Runs one statement a group, in order, on the connection's transaction; their counts summed. */
    MergeResult counted(Connection connection, Merge merge, List<Parts> groups, int server) throws SQLException {
        MergeResult sum = null;
        for (Parts group : groups) {
            MergeResult one = counted(connection, render(merge, group, server >= 17), server);
            // Below 17 the counts by action stay unknown (-1), not summed.
            sum = sum == null ? one : !one.countedByAction() ? new MergeResult(sum.merged() + one.merged(), -1, -1, -1,
                    server) : new MergeResult(sum.merged() + one.merged(), sum.inserted() + one.inserted(),
                    sum.updated() + one.updated(), sum.deleted() + one.deleted(), server);
        }
        return sum;
    }

    /**
     * Refuses two records, sent in different statements, that find one stored record as the server compares their
     * {@code on} values (a case-insensitive text, one instant at two offsets, 1.0 and 1.00), though their values differ
     * in Java: one statement's merge would be refused by the server, while the second of two statements would change
     * again, or update what the first inserted, the record the first wrote. One query, before the statements.
     */
    void refuseSameStored(Connection connection, Merge merge, List<? extends Map<String, ?>> records)
            throws SQLException {
        List<ColumnPlan> on = merge.on().stream().map(plan::column).toList();
        List<Integer> positions = new ArrayList<>();
        SqlWriter out = sameStored(on, records, positions);
        if (positions.size() < 2) {
            return;
        }
        if (out.binds().size() > Bind.MAX_PER_STATEMENT) {
            throw QueryException.of(plan.name(), null, "A merge of " + records.size() + " " + plan.name()
                    + " records giving different fields compares " + out.binds().size() + " values of " + merge.on()
                    + " in one statement, and PostgreSQL takes at most " + Bind.MAX_PER_STATEMENT
                    + ": merge them in smaller lists");
        }
        SqlStatement check = new SqlStatement(out.sql(), out.binds(), null, new Codec[0], false);
        try (PreparedStatement same = check.prepare(connection); ResultSet rows = same.executeQuery()) {
            if (rows.next()) {
                Integer[] found = (Integer[]) rows.getArray(1).getArray();
                throw QueryException.of(plan.name(), merge.on().get(0), "A merge of " + plan.name()
                        + " was given records " + positions.get(found[0]) + " and " + positions.get(found[1]) + " whose " + merge.on()
                        + " PostgreSQL compares as equal: they find one stored record, which a merge changes at most "
                        + "once: give each record once");
            }
        }
    }

    /**
     * The query {@link #refuseSameStored} sends: the records' {@code on} values, each cast to its column's type,
     * grouped as the merge's {@code ON} compares them; the positions (1-based) of the records it lists, which leaves out those
     * with a null {@code on} value (they find no stored record), added to {@code positions}.
     */
    private SqlWriter sameStored(List<ColumnPlan> on, List<? extends Map<String, ?>> records, List<Integer> positions) {
        SqlWriter out = SqlWriter.rendering().append("SELECT array_agg(\"ashlar record\" ORDER BY \"ashlar record\") "
                + "FROM (VALUES ");
        for (int r = 0; r < records.size(); r++) {
            Map<String, ?> record = records.get(r);
            if (on.stream().anyMatch(column -> record.get(column.name()) == null)) {
                continue;
            }
            out.append(positions.isEmpty() ? "(" : ", (").append(String.valueOf(positions.size()));
            positions.add(r + 1);
            for (ColumnPlan column : on) {
                out.append(", CAST(").bind(column.codec(), record.get(column.name())).append(" AS ")
                        .append(column.codec().castType(schema)).append(")");
            }
            out.append(")");
        }
        return out.append(") AS \"given\" (\"ashlar record\", ").append(String.join(", ", on.stream()
                .map(ColumnPlan::quoted).toList())).append(") GROUP BY ").append(String.join(", ", on.stream()
                .map(column -> column.compared("\"given\".")).toList()))
                .append(" HAVING count(*) > 1 ORDER BY min(\"ashlar record\") LIMIT 1");
    }

    /** Runs the statement; the counts by action are read from its rows when it counts them ({@code server >= 17}). */
    MergeResult counted(Connection connection, SqlStatement statement, int server) throws SQLException {
        if (server < 17) {
            return new MergeResult(statement.update(connection), -1, -1, -1, server);
        }
        Map<String, Long> counts = new HashMap<>();
        try (PreparedStatement merged = statement.prepare(connection); ResultSet rows = merged.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        long inserted = counts.getOrDefault("INSERT", 0L);
        long updated = counts.getOrDefault("UPDATE", 0L);
        long deleted = counts.getOrDefault("DELETE", 0L);
        return new MergeResult(inserted + updated + deleted, inserted, updated, deleted, server);
    }

    /** Each record's values, bound and cast to their columns' types, so that they compare and store as the columns. */
    private void values(Parts parts, SqlWriter out) {
        for (int r = 0; r < parts.records().size(); r++) {
            Map<String, ?> record = parts.records().get(r);
            out.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < parts.columns().size(); c++) {
                ColumnPlan column = parts.columns().get(c);
                out.append(c == 0 ? "CAST(" : ", CAST(").bind(column.codec(), record.get(column.name()))
                        .append(" AS ").append(column.codec().castType(schema)).append(")");
            }
            out.append(")");
        }
    }

    private void act(Merge.Clause clause, Parts parts, List<String> on, FilterRenderer storedRow) {
        SqlWriter out = storedRow.out();
        switch (clause.act()) {
            case NOTHING -> out.append("DO NOTHING");
            case INSERT -> out.append("INSERT (").append(String.join(", ", parts.columns().stream()
                    .map(ColumnPlan::quoted).toList())).append(") VALUES (").append(String.join(", ", parts.columns()
                    .stream().map(column -> GIVEN + "." + column.quoted()).toList())).append(")");
            case DELETE -> {
                if (parts.marking().isEmpty()) {
                    out.append("DELETE");
                } else {
                    set(List.of(), parts.marking(), parts.stamps(), storedRow);
                }
            }
            case UPDATE -> {
                List<ColumnPlan> overwritten = overwritten(clause, parts.columns(), on);
                if (overwritten.isEmpty()) {
                    out.append("DO NOTHING"); // these records give nothing it overwrites (refuseEmptyUpdates)
                } else {
                    set(overwritten, Map.of(), parts.stamps(), storedRow);
                }
            }
        }
    }

    /**
     * {@code UPDATE SET}: the given values, the changes (a deletion's mark), the stamps, and the update times, touched
     * when a value is written other than the stored one, as an update does ({@link SqlRenderer}).
     */
    private void set(List<ColumnPlan> given, Map<ColumnPlan, Object> changes, Map<ColumnPlan, Object> stamps,
                     FilterRenderer storedRow) {
        SqlWriter out = storedRow.out();
        out.append("UPDATE SET ");
        List<String> sets = new ArrayList<>();
        given.forEach(column -> sets.add(column.quoted() + " = " + GIVEN + "." + column.quoted()));
        out.append(String.join(", ", sets));
        int i = sets.size();
        for (Map<ColumnPlan, Object> written : List.of(changes, stamps)) {
            for (Map.Entry<ColumnPlan, Object> change : written.entrySet()) {
                out.append(i++ == 0 ? "" : ", ").append(change.getKey().quoted()).append(" = ");
                if (change.getValue() instanceof Atomic atomic) {
                    storedRow.atomic(change.getKey(), atomic);
                } else {
                    out.bind(change.getKey().codec(), change.getValue());
                }
            }
        }
        for (ColumnPlan touched : plan.columns()) {
            if (touched.attribute().column().touchOnUpdate() && !given.contains(touched)
                    && !changes.containsKey(touched) && !stamps.containsKey(touched)) {
                out.append(i++ == 0 ? "" : ", ").append(touched.quoted()).append(" = ");
                touch(touched, given, !changes.isEmpty() || !stamps.isEmpty(), out);
            }
        }
    }

    /** An update time: {@code now()} when the write changes the row, else the stored time. */
    private void touch(ColumnPlan touched, List<ColumnPlan> given, boolean changes, SqlWriter out) {
        if (changes || given.stream().anyMatch(column -> column.attribute().column().migrationType() != null)) {
            out.append("now()");
            return;
        }
        out.append("CASE WHEN ").append(String.join(" OR ", given.stream().map(column -> column.compared(stored
                + ".") + " IS DISTINCT FROM " + column.compared(GIVEN + ".")).toList())).append(" THEN now() ELSE ")
                .append(stored).append(".").append(touched.quoted()).append(" END");
    }

    /**
     * The action that wrote a returned row; a soft delete's update of the mark counts as the delete it is (a row a
     * merge finds is never marked before it, and an update never writes the mark).
     */
    private void deletedAs(Parts parts, FilterRenderer storedRow) {
        Filter live = plan.resource().notSoftDeleted();
        if (parts.marking().isEmpty() || live == null) {
            storedRow.out().append("merge_action()");
            return;
        }
        storedRow.out().append("CASE WHEN merge_action() = 'UPDATE' AND NOT (");
        new FilterRenderer(plan, storedRow.out(), null, stored + ".").filter(live);
        storedRow.out().append(") THEN 'DELETE' ELSE merge_action() END");
    }

    /**
     * The records that give the same fields, merged by one statement: a merge sends one such group per set of fields
     * its records give, so that what a record does never depends on the others (a field one record leaves out is not
     * overwritten with null because another gives it, and a record without a generated key takes the key's default).
     *
     * @param columns the columns each record of the group gives, in order
     * @param records the group's records, in the order given
     * @param first   the position of its first record among all (1-based), to name it in a refusal
     */
    record Group(List<ColumnPlan> columns, List<Map<String, ?>> records, int first) {
    }

    /**
     * The records grouped by the fields they give, in the order each set first appears; refuses a record that lacks an
     * {@code on} field, a value the server would compute, and two records that would find the same stored one
     * (PostgreSQL refuses a merge that changes a row twice, and records split among statements could do just that).
     */
    static List<Group> groups(ResourcePlan plan, List<? extends Map<String, ?>> records, Merge merge) {
        merge.on().forEach(plan::column);
        Map<Set<String>, Group> groups = new LinkedHashMap<>();
        Set<List<Object>> found = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            Map<String, ?> record = records.get(i);
            for (String field : merge.on()) {
                if (!record.containsKey(field)) {
                    throw QueryException.of(plan.name(), field, "A merge of " + plan.name() + " finds stored records "
                            + "by '" + field + "', but record " + (i + 1) + " does not give it: give '" + field
                            + "' in every record");
                }
            }
            record.forEach((field, value) -> {
                if (value instanceof Atomic) {
                    throw QueryException.of(plan.name(), field, "A merge of " + plan.name() + " binds every value "
                            + "it is given, and '" + field + "' is one the server computes (Atomic): give the value");
                }
            });
            List<Object> key = merge.on().stream().map(field -> (Object) record.get(field)).toList();
            if (!key.contains(null) && !found.add(key)) {
                throw QueryException.of(plan.name(), merge.on().get(0), "Two records of a merge of " + plan.name()
                        + " give " + merge.on() + " = " + key + ", and PostgreSQL changes a stored record at most "
                        + "once in a merge: give each record once");
            }
            int position = i + 1;
            groups.computeIfAbsent(record.keySet(), fields -> new Group(fields.stream().map(plan::column).toList(),
                    new ArrayList<>(), position)).records().add(record);
        }
        return List.copyOf(groups.values());
    }

    /**
     * Refuses a condition that reaches through a relationship (only the stored record's own fields and the given
     * values are in a merge's reach), a not-matched condition over a field a group's records do not give, and an
     * update clause that overwrites a field they do not give, the tenant, or a field written only on create.
     */
    void refuseUpdates(Merge merge, Group group) {
        List<ColumnPlan> given = group.columns();
        for (Merge.Clause clause : merge.clauses()) {
            refuseCondition(clause, group);
            if (clause.act() != Merge.Act.UPDATE) {
                continue;
            }
            for (String field : clause.fields()) {
                ColumnPlan column = plan.column(field);
                String why = !given.contains(column) ? "record " + group.first() + " does not give it: give '"
                        + field + "' in every record or leave it out of update(...)"
                        : plan.tenantColumns().contains(column) ? "it is the tenant of the record, which never changes"
                        : column == plan.softDelete() ? "it marks the record deleted: use whenMatched().delete()"
                        : column == plan.version() ? "it is the record's version, which the merge counts up itself"
                        : null;
                if (why != null) {
                    throw QueryException.of(plan.name(), field, "A merge of " + plan.name() + " cannot overwrite '"
                            + field + "': " + why);
                }
            }
            DataLayer.refuseCreateOnlyChange(plan, clause.fields());
        }
    }

    /**
     * Refuses an update clause that overwrites no field of any record: they give only the {@code on} fields, the key,
     * the tenant or fields written on create. A group alone that gives nothing to overwrite is left as stored by it.
     */
    void refuseEmptyUpdates(Merge merge, List<Group> groups) {
        for (Merge.Clause clause : merge.clauses()) {
            if (clause.act() == Merge.Act.UPDATE && groups.stream()
                    .allMatch(group -> overwritten(clause, group.columns(), merge.on()).isEmpty())) {
                throw QueryException.of(plan.name(), null, "An update clause of a merge of " + plan.name()
                        + " overwrites no field: the records give only " + merge.on() + ", the key, the tenant or "
                        + "fields written on create. Name the fields with update(\"field\"), or use doNothing()");
            }
        }
    }

    private void refuseCondition(Merge.Clause clause, Group group) {
        List<ColumnPlan> given = group.columns();
        String when = clause.matched() ? "whenMatched" : "whenNotMatched";
        FilterPaths.visit(clause.condition(), plan::hasAttribute, (path, filter) -> {
            throw QueryException.of(plan.name(), path, "The " + when + "(...) condition of a merge of " + plan.name()
                    + " reaches through the relationship '" + path + "': it may only use the record's own fields");
        });
        if (!clause.matched()) {
            FilterPaths.fields(clause.condition(), field -> {
                if (given.stream().noneMatch(column -> column.name().equals(field))) {
                    throw QueryException.of(plan.name(), field, "The whenNotMatched(...) condition of a merge of "
                            + plan.name() + " tests '" + field + "', which record " + group.first() + " does not give: "
                            + "a record that found no stored one has only the fields it gives");
                }
            });
        }
    }

    /**
     * The columns an update clause overwrites with the given values: those it names, or every given one but the
     * {@code on} fields, the key, the tenant, the version, a soft delete's mark and those written only on create.
     */
    private List<ColumnPlan> overwritten(Merge.Clause clause, List<ColumnPlan> given, List<String> on) {
        if (!clause.fields().isEmpty()) {
            // Who wrote the record last is written by every update, as the handle's user (given by every record).
            return given.stream().filter(column -> clause.fields().contains(column.name())
                    || column == plan.modifiedBy()).toList();
        }
        return given.stream().filter(column -> !on.contains(column.name()) && !column.attribute().primaryKey()
                && !plan.tenantColumns().contains(column) && column != plan.version() && column != plan.softDelete()
                && !plan.createOnlyColumns().contains(column)).toList();
    }
}
