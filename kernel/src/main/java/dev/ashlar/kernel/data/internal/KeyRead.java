package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Query;

import java.util.List;

/**
 * When a read by primary key may take the statement its resource's renderer keeps by schema ({@link SqlRenderer#byKey})
 * rather than building its shape: the hottest read, whose SQL then depends on nothing but its resource, kind and schema.
 */
final class KeyRead {
    /** The rows a read by key asks for: two, so that a key matching more is refused rather than one picked. */
    static final int LIMIT = 2;

    private KeyRead() {
    }

    /**
     * Whether a read by key, as the tenant scope, the base filter, the policies and the discriminator left it, is
     * still only its key: its filter the very comparison it was asked with (anything and'ed to it, a tenant column's
     * value or a policy's rows, makes another filter), nothing else asked of it. Its schema and tenant may differ:
     * the schema is the kept statement's key, and the tenant's settings are applied as for any read.
     *
     * @param asked the read by key as built, before its scoping
     * @param read  the same read after it
     */
    static boolean plain(Query asked, Query read, ResourcePlan plan) {
        return plan.primaryKey().size() == 1 && asked.filter() instanceof Filter.Compare compare
                && compare.operator() == Filter.Operator.EQ && compare.field().equals(plan.primaryKey().get(0).name())
                && read.filter() == asked.filter() && onlyLimited(read);
    }

    /** Whether a query asks for nothing but its filter and {@link #LIMIT} rows: every other part of it is empty. */
    private static boolean onlyLimited(Query query) {
        // Each part a Query may hold (see its record), so that a new part is not taken for a plain read unseen.
        return query.limit() != null && query.limit() == LIMIT && query.offset() == null && !query.withTies()
                && query.sorts().isEmpty() && query.select().isEmpty() && query.lock() == Lock.NONE
                && query.after().isEmpty() && query.before().isEmpty() && query.distinct().isEmpty()
                && query.computed().isEmpty() && query.aggregates().isEmpty() && query.distinctSorts().isEmpty()
                && query.arguments().isEmpty();
    }

    /** Whether a statement's binds are the key, bound as given, then the limit: the only values its SQL takes. */
    static boolean boundAsKey(SqlStatement statement, Bind key) {
        List<Bind> binds = statement.binds();
        return binds.size() == 2 && binds.get(0).equals(key) && Integer.valueOf(LIMIT).equals(binds.get(1).value())
                && !statement.reversed() && statement.seenKeys().isEmpty();
    }
}
