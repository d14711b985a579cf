package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.spi.schema.Ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code ON CONFLICT} clause of an upsert: its target, the columns it overwrites or changes from their stored
 * values, and when it does — if the stored row meets the upsert's condition and, for an identity unique across
 * tenants, belongs to the record's tenant. The statement names the stored row by the table's own name, unqualified
 * ({@code INSERT INTO "public"."docs" AS "docs"}): SQL over it is never confused with {@code EXCLUDED}, and a
 * condition written by hand that names the table ({@code sql("docs.version < EXCLUDED.version")}) still finds it.
 */
final class OnConflict {
    private final String stored;

    private final ResourcePlan plan;
    private final DistributedTables distributed;

    /** The alias of the target table, the stored row a conflict meets: the table's name ("stored" for "excluded"). */
    static String stored(ResourcePlan plan) {
        String table = plan.resource().table();
        return Identifiers.quote(table.equalsIgnoreCase("excluded") ? "stored" : table);
    }

    /** An upsert without its values: what the clause's SQL depends on. */
    private record Shape(String identity, List<String> update, boolean keepStored, Object condition,
                         Map<String, Object> changes, boolean touchesUpdateTimes) {
    }

    OnConflict(ResourcePlan plan, DistributedTables distributed) {
        this.plan = plan;
        this.distributed = distributed;
        this.stored = stored(plan);
    }

    /** The part of an insert's cache key the clause renders from; null without an upsert. */
    static Object shape(Upsert upsert) {
        return upsert == null ? null : new Shape(upsert.identity(), upsert.update(), upsert.keepStored(),
                QueryShape.shape(upsert.condition()), upsert.changes().isEmpty() ? Map.of()
                : upsert.changes().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, change ->
                change.getValue().field() != null ? "of " + change.getValue().field()
                        : change.getValue().expression() ? QueryShape.shape((Filter.Sql) change.getValue().amount())
                        : change.getValue().operator())), upsert.touchesUpdateTimes());
    }

    /**
     * Whether an upsert's conflict update is guarded by the tenant: its identity spans all tenants, so
     * the stored row it meets may be another tenant's, which it must neither take over nor return.
     */
    boolean guarded(Upsert upsert) {
        return upsert != null && !upsert.keepStored() && !tenantScoped(identityColumns(upsert));
    }

    /** Whether columns hold every tenant column (true for a resource without one). */
    boolean tenantScoped(List<String> columns) {
        return columns.containsAll(plan.tenantColumns().stream().map(ColumnPlan::name).toList());
    }

    List<String> identityColumns(Upsert upsert) {
        return plan.identityColumns(plan.identity(upsert.identity()));
    }

    /**
     * Writes {@code ON CONFLICT (identity) DO UPDATE SET ... WHERE ...}, binding the changes' and the condition's
     * values. With nothing to update or change, the identity's first column is set to itself, so the stored row is
     * still returned (DO NOTHING would not return it). On a table Citus distributes by the tenant column, the target
     * leads with it, as Citus requires and as the generated unique index does ({@code (org_id, id)} for an identity on
     * the primary key across tenants). A calculation in the identity is its expression, {@code ((lower(email)))}, as
     * its unique index holds it, so that PostgreSQL infers that index.
     *
     * @param columns the columns the records give
     * @param action  the action, for a refused amount of a change
     */
    void render(SqlWriter out, String schema, List<ColumnPlan> columns, Upsert upsert, String action) {
        Identity chosen = plan.identity(upsert.identity());
        List<String> fields = targetFields(schema, chosen);
        List<ColumnPlan> target = target(fields, columns, upsert);
        // A partial identity's index is only inferred as the arbiter when its predicate is repeated, closed as the
        // index closes it (a trailing -- comment would swallow the rest of the statement).
        String predicate = chosen.predicateOn(plan.resource());
        out.append(" ON CONFLICT (").append(String.join(", ", fields.stream().map(this::element).toList()))
                .append(")").append(predicate == null ? "" : " WHERE " + Ddl.fragment(predicate));
        if (upsert.keepStored()) {
            out.append(" DO NOTHING");
            return;
        }
        List<ColumnPlan> changed = changed(target, upsert);
        List<ColumnPlan> update = overwritten(plan, target, changed, columns, upsert);
        boolean unchanged = update.isEmpty() && changed.isEmpty();
        // An identity over calculations alone has no column to set to itself: the stored row keeps its first column.
        List<ColumnPlan> set = unchanged && !target.isEmpty() ? target.subList(0, 1) : update;
        out.append(" DO UPDATE SET ");
        if (unchanged && target.isEmpty()) {
            String first = plan.columns().get(0).quoted();
            out.append(first).append(" = ").append(stored).append(".").append(first);
        }
        for (int i = 0; i < set.size(); i++) {
            String column = set.get(i).quoted();
            out.append(i == 0 ? "" : ", ").append(column).append(" = EXCLUDED.").append(column);
        }
        changes(out, columns, upsert, action, set.isEmpty() ? "" : ", ");
        if (upsert.touchesUpdateTimes() && !unchanged) {
            plan.columns().stream().filter(c -> c.attribute().column().touchOnUpdate() && !set.contains(c)
                    && !changed.contains(c)).forEach(c -> out.append(", ").append(c.quoted()).append(" = now()"));
        }
        where(out, columns, upsert);
    }

    /** A field of the conflict target: an attribute's quoted column, or a calculation's expression in parentheses. */
    private String element(String field) {
        return plan.resource().calculation(field).map(c -> "(" + Ddl.fragment(c.sql()) + ")")
                .orElseGet(() -> plan.column(field).quoted());
    }

    /** The conflict target's fields: the identity's, led by the tenant's on a table Citus distributes by it. */
    private List<String> targetFields(String schema, Identity chosen) {
        List<String> identity = plan.identityColumns(chosen);
        if (!tenantScoped(identity) && distributed.known(plan.table(schema))) {
            List<String> led = new ArrayList<>(plan.tenantColumns().stream().map(ColumnPlan::name).toList());
            identity.stream().filter(c -> !led.contains(c)).forEach(led::add);
            identity = led;
        }
        return identity;
    }

    /**
     * The conflict target's attribute columns, which every record must give. A calculation's inputs are not checked:
     * a record that leaves them out writes their defaults, and the expression over those decides the conflict
     * ({@code lower(NULL)} meets no stored row, {@code coalesce(email, '')} meets the one holding '').
     */
    private List<ColumnPlan> target(List<String> fields, List<ColumnPlan> columns, Upsert upsert) {
        List<ColumnPlan> target = fields.stream().filter(plan::hasAttribute).map(plan::column).toList();
        if (!columns.containsAll(target)) {
            throw QueryException.of(plan.name(), upsert.identity(), "An upsert of " + plan.name() + " on identity '"
                    + upsert.identity() + "' needs every record to give " + fields);
        }
        if (guarded(upsert) && upsert.condition() != null
                && !target.stream().allMatch(c -> c.codec().bulkCarrier().fitsInArray())) {
            throw QueryException.of(plan.name(), upsert.identity(), "An upsert of " + plan.name() + " with a "
                    + "condition cannot check the tenant of records on identity '" + upsert.identity() + "', which "
                    + "holds an array attribute: upsert on another identity, or without where(...)");
        }
        return target;
    }

    /**
     * Refuses, before any statement (the clause's SQL is cached without these options), what an upsert on an identity
     * over a calculation cannot do: the stored records a conflict kept, and the tenant of records a condition kept,
     * are found by the identity's values, which a record does not give.
     */
    void refuseOverCalculation(Upsert upsert) {
        plan.calculationIn(plan.identity(upsert.identity())).ifPresent(calculation -> overCalculation(upsert,
                calculation));
    }

    private void overCalculation(Upsert upsert, String calculation) {
        String refused = upsert.returnsSkipped() ? "return the stored records a conflict kept (returnSkipped())"
                : guarded(upsert) && upsert.condition() != null ? "check the tenant of the records a condition kept "
                + "on an identity across all tenants (where(...))" : null;
        if (refused != null) {
            throw QueryException.of(plan.name(), upsert.identity(), "An upsert of " + plan.name() + " on identity '"
                    + upsert.identity() + "', over calculation '" + calculation + "' (which a record does not give), "
                    + "cannot " + refused + ": leave it out, or upsert on an identity over attributes");
        }
    }

    /**
     * The columns a conflict overwrites with the incoming values: those named, or every given one that may be (not who
     * created the record, nor an attribute updatable(false): the stored record keeps them). Refuses a named one that
     * holds the tenant or that a record does not give. The joined upsert, which writes no ON CONFLICT, takes them too.
     *
     * @param target  the identity's columns, which decide the conflict
     * @param changed the columns the upsert changes from their stored values, not overwritten with a given value
     * @param columns the columns the records give
     */
    static List<ColumnPlan> overwritten(ResourcePlan plan, List<ColumnPlan> target, List<ColumnPlan> changed,
                                        List<ColumnPlan> columns, Upsert upsert) {
        List<ColumnPlan> update = upsert.update().isEmpty() ? columns.stream().filter(c -> !target.contains(c)
                && !plan.tenantColumns().contains(c) && !changed.contains(c) && !plan.createOnly(c)).toList()
                : upsert.update().stream().map(plan::column).toList();
        update.stream().filter(plan.tenantColumns()::contains).findFirst().ifPresent(c -> {
            throw holdsTheTenant(plan, c, "update(...)");
        });
        update.stream().filter(c -> !columns.contains(c)).findFirst().ifPresent(c -> {
            throw QueryException.of(plan.name(), c.name(), "An upsert of " + plan.name() + " updates '" + c.name()
                    + "', but a record does not give it: the stored value would be replaced with the column's "
                    + "default or NULL. Give '" + c.name() + "' in every record, or leave it out of update(...)");
        });
        return update;
    }

    /**
     * The columns a conflict changes from their stored values ({@link Upsert#set}), in attribute order; refuses the
     * identity's own, the tenant's, and an addition or subtraction on what is not a number.
     */
    private List<ColumnPlan> changed(List<ColumnPlan> target, Upsert upsert) {
        upsert.changes().keySet().forEach(plan::column);
        List<ColumnPlan> changed = plan.columns().stream().filter(c -> upsert.changes().containsKey(c.name()))
                .toList();
        for (ColumnPlan column : changed) {
            if (plan.tenantColumns().contains(column)) {
                throw holdsTheTenant(plan, column, "set(...)");
            }
            if (target.contains(column)) {
                throw QueryException.of(plan.name(), column.name(), "An upsert of " + plan.name() + " on identity '"
                        + upsert.identity() + "' cannot change '" + column.name() + "': it is part of the identity "
                        + "that decides the conflict. Leave it out of set(...), or upsert on another identity");
            }
            Atomic change = upsert.changes().get(column.name());
            if (change.field() != null) {
                takenFromStored(column, change.field());
            }
            if (!change.expression() && !column.attribute().isNumber()) {
                throw QueryException.of(plan.name(), column.name(), "An upsert of " + plan.name() + " "
                        + ("+".equals(change.operator()) ? "adds to" : "subtracts from") + " '" + column.name()
                        + "', which is not a number: Atomic.add and Atomic.subtract take integer, bigint, numeric, "
                        + "real and double precision attributes. Use Atomic.sql(...) for other changes");
            }
        }
        return changed;
    }

    /**
     * Refuses a change that takes the value of a calculation, an aggregate or a related record ({@code Atomic.of}): an
     * upsert's changes are written over the stored and incoming rows alone, without the scopes those are read with.
     */
    private void takenFromStored(ColumnPlan column, String field) {
        plan.refuseUnknownTaken(column, field);
        if (plan.isDerived(field) || ResourcePlan.isPath(field)) {
            throw QueryException.of(plan.name(), column.name(), "An upsert of " + plan.name() + " sets '"
                    + column.name() + "' to Atomic.of(\"" + field + "\"), " + (plan.isDerived(field)
                    ? "a calculation or aggregate" : "a related record's attribute") + ": an upsert's "
                    + "changes take the stored record's attributes only. Update the record after the upsert with "
                    + "Atomic.of(\"" + field + "\"), or compute the value with Atomic.sql(...)");
        }
    }

    private static QueryException holdsTheTenant(ResourcePlan plan, ColumnPlan column, String option) {
        return QueryException.of(plan.name(), column.name(), "An upsert of " + plan.name() + " may not update '"
                + column.name() + "': it holds the record's tenant. Leave it out of " + option);
    }

    /**
     * {@code , "hits" = COALESCE("stored"."hits", 0) + ?}: each change, in attribute order, computed from the stored
     * row; an addition's or subtraction's amount is converted like a value of the attribute.
     *
     * @param glue what comes before the first change
     */
    private void changes(SqlWriter out, List<ColumnPlan> columns, Upsert upsert, String action, String glue) {
        FilterRenderer stored = overStored(out, columns);
        for (ColumnPlan column : plan.columns()) {
            Atomic change = upsert.changes().get(column.name());
            if (change != null) {
                out.append(glue).append(column.quoted()).append(" = ");
                stored.atomic(column, change.expression() ? change
                        : change.withAmount(plan.toDatabase(column, change.amount(), action)));
                glue = ", ";
            }
        }
    }

    /** The binds of the clause alone (its changes' and condition's values), for an insert whose SQL is rendered. */
    List<Bind> binds(List<ColumnPlan> columns, Upsert upsert, String action) {
        if (upsert == null || upsert.condition() == null && upsert.changes().isEmpty()) {
            return List.of();
        }
        SqlWriter out = SqlWriter.bindingOnly();
        changes(out, columns, upsert, action, "");
        if (upsert.condition() != null) {
            condition(out, columns, upsert);
        }
        return out.binds();
    }

    /** {@code WHERE} the tenant's guard and the caller's condition, over the stored row, when there are any. */
    private void where(SqlWriter out, List<ColumnPlan> columns, Upsert upsert) {
        List<String> guard = guarded(upsert) ? plan.tenantColumns().stream()
                .map(c -> stored + "." + c.quoted() + " = EXCLUDED." + c.quoted()).toList() : List.of();
        if (guard.isEmpty() && upsert.condition() == null) {
            return;
        }
        out.append(" WHERE ").append(String.join(" AND ", guard));
        if (upsert.condition() != null) {
            out.append(guard.isEmpty() ? "" : " AND ");
            condition(out, columns, upsert);
        }
    }

    private void condition(SqlWriter out, List<ColumnPlan> columns, Upsert upsert) {
        FilterPaths.visit(upsert.condition(), plan::hasAttribute, (path, filter) -> {
            throw QueryException.of(plan.name(), path, "The condition of an upsert of " + plan.name() + " reaches "
                    + "through the relationship '" + path + "': it may only use the stored record's own fields");
        });
        overStored(out, columns).filter(upsert.condition());
    }

    /** A renderer over the stored row, where {@link Filter.Incoming} names the value the records give. */
    private FilterRenderer overStored(SqlWriter out, List<ColumnPlan> columns) {
        return new FilterRenderer(plan, out, null, stored + ".", columns);
    }
}
