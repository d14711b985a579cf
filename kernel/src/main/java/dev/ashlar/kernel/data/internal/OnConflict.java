package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.data.Upsert;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ON CONFLICT} clause of an upsert: its target, the columns it overwrites, and when it overwrites
 * them — if the stored row meets the upsert's condition and, for an identity unique across tenants, belongs to
 * the record's tenant.
 */
final class OnConflict {
    private final ResourcePlan plan;
    private final DistributedTables distributed;

    /** An upsert without its condition's values: what the clause's SQL depends on. */
    private record Shape(String identity, List<String> update, boolean keepStored, Object condition) {
    }

    OnConflict(ResourcePlan plan, DistributedTables distributed) {
        this.plan = plan;
        this.distributed = distributed;
    }

    /** The part of an insert's cache key the clause renders from; null without an upsert. */
    static Object shape(Upsert upsert) {
        return upsert == null ? null : new Shape(upsert.identity(), upsert.update(), upsert.keepStored(),
                QueryShape.shape(upsert.condition()));
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
     * Writes {@code ON CONFLICT (identity) DO UPDATE SET ... WHERE ...}, binding the condition's values. With nothing
     * to update, the identity's first column is set to itself, so the stored row is still returned (DO NOTHING would
     * not return it). On a table Citus distributes by the tenant column, the target leads with it, as Citus requires
     * and as the generated unique index does ({@code (org_id, id)} for an identity on the primary key across tenants).
     *
     * @param columns the columns the records give
     */
    void render(SqlWriter out, String schema, List<ColumnPlan> columns, Upsert upsert) {
        Identity chosen = plan.identity(upsert.identity());
        List<String> identity = plan.identityColumns(chosen);
        if (!tenantScoped(identity) && distributed.known(plan.table(schema))) {
            List<String> led = new ArrayList<>(plan.tenantColumns().stream().map(ColumnPlan::name).toList());
            identity.stream().filter(c -> !led.contains(c)).forEach(led::add);
            identity = led;
        }
        List<ColumnPlan> target = identity.stream().map(plan::column).toList();
        if (!columns.containsAll(target)) {
            throw QueryException.of(plan.name(), upsert.identity(), "An upsert of " + plan.name() + " on identity '"
                    + upsert.identity() + "' needs every record to give " + identity);
        }
        if (guarded(upsert) && upsert.condition() != null
                && !target.stream().allMatch(c -> c.codec().bulkCarrier().fitsInArray())) {
            throw QueryException.of(plan.name(), upsert.identity(), "An upsert of " + plan.name() + " with a "
                    + "condition cannot check the tenant of records on identity '" + upsert.identity() + "', which "
                    + "holds an array attribute: upsert on another identity, or without where(...)");
        }
        // A partial identity's index is only inferred as the arbiter when its predicate is repeated.
        String predicate = chosen.predicateOn(plan.resource());
        out.append(" ON CONFLICT (").append(BulkWriter.join(target)).append(")")
                .append(predicate == null ? "" : " WHERE " + predicate);
        if (upsert.keepStored()) {
            out.append(" DO NOTHING");
            return;
        }
        List<ColumnPlan> update = upsert.update().isEmpty()
                ? columns.stream().filter(c -> !target.contains(c) && !plan.tenantColumns().contains(c)).toList()
                : upsert.update().stream().map(plan::column).toList();
        update.stream().filter(plan.tenantColumns()::contains).findFirst().ifPresent(c -> {
            throw QueryException.of(plan.name(), c.name(), "An upsert of " + plan.name() + " may not update '"
                    + c.name() + "': it holds the record's tenant. Leave it out of update(...)");
        });
        update.stream().filter(c -> !columns.contains(c)).findFirst().ifPresent(c -> {
            throw QueryException.of(plan.name(), c.name(), "An upsert of " + plan.name() + " updates '" + c.name()
                    + "', but a record does not give it: the stored value would be replaced with the column's "
                    + "default or NULL. Give '" + c.name() + "' in every record, or leave it out of update(...)");
        });
        List<ColumnPlan> set = update.isEmpty() ? target.subList(0, 1) : update;
        out.append(" DO UPDATE SET ");
        for (int i = 0; i < set.size(); i++) {
            String column = set.get(i).quoted();
            out.append(i == 0 ? "" : ", ").append(column).append(" = EXCLUDED.").append(column);
        }
        if (!update.isEmpty()) {
            plan.columns().stream().filter(c -> c.attribute().column().touchOnUpdate() && !set.contains(c))
                    .forEach(c -> out.append(", ").append(c.quoted()).append(" = now()"));
        }
        where(out, columns, upsert);
    }

    /** The binds of the clause alone (its condition's values), for an insert whose SQL is already rendered. */
    List<Bind> binds(List<ColumnPlan> columns, Upsert upsert) {
        if (upsert == null || upsert.condition() == null) {
            return List.of();
        }
        SqlWriter out = SqlWriter.bindingOnly();
        condition(out, columns, upsert);
        return out.binds();
    }

    /** {@code WHERE} the tenant's guard and the caller's condition, over the stored row, when there are any. */
    private void where(SqlWriter out, List<ColumnPlan> columns, Upsert upsert) {
        List<String> guard = guarded(upsert) ? plan.tenantColumns().stream()
                .map(c -> stored() + c.quoted() + " = EXCLUDED." + c.quoted()).toList() : List.of();
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
        new FilterRenderer(plan, out, null, stored(), columns).filter(upsert.condition());
    }

    /** The prefix of the stored row's columns: DO UPDATE's WHERE reaches it by the table's bare name. */
    private String stored() {
        return Identifiers.quote(plan.resource().table()) + ".";
    }
}
