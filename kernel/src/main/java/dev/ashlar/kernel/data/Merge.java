package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;

import java.util.ArrayList;
import java.util.List;

/**
 * What a merge ({@code MERGE}, PostgreSQL 15 and later) does with each given record: the fields that find its stored
 * record, and, in order, the clauses that say what happens to a record that finds one (update it, delete it, leave it)
 * and to one that finds none (insert it, skip it). The first clause whose condition a record meets acts on it; a
 * record no clause takes is left alone.
 *
 * <pre>{@code
 * ashlar.merge("item", rows, Merge.on("sku")
 *         .whenMatched(Filter.eq("discontinued", true)).delete()   // jOOQ's whenMatchedAnd(...).thenDelete()
 *         .whenMatched().update("qty", "price")                    // whenMatchedThenUpdate().set(...)
 *         .whenNotMatched().insert());                             // whenNotMatchedThenInsert(...)
 * }</pre>
 *
 * <p>A condition of {@link #whenMatched(Filter)} is a filter over the stored record's fields, its values bound, where
 * {@link Filter#incoming(String)} names the value the given record brings ({@code lt("version", incoming("version"))}),
 * as in {@link Upsert#where}. A condition of {@link #whenNotMatched(Filter)} is a filter over the given record's fields.
 *
 * @param on      the fields that find a record's stored one: equal values match
 * @param clauses the clauses, in the order they are tried
 */
public record Merge(List<String> on, List<Clause> clauses) {

    /** What a clause does. */
    public enum Act {
        /** Writes the given record's values over the stored record's ({@code UPDATE SET}). */
        UPDATE,
        /** Deletes the stored record ({@code DELETE}); a resource with {@code softDelete(...)} marks it deleted. */
        DELETE,
        /** Stores the given record ({@code INSERT}). */
        INSERT,
        /** Leaves the record as it is ({@code DO NOTHING}). */
        NOTHING
    }

    /**
     * One {@code WHEN} clause of a merge.
     *
     * @param matched   whether it takes records that found their stored one ({@code WHEN MATCHED})
     * @param condition what the record must also meet, or {@code null} for always
     * @param act       what it does
     * @param fields    for {@link Act#UPDATE}, the fields it overwrites; empty for every given field but the merge's
     *                  {@code on} fields, the key and the tenant
     */
    public record Clause(boolean matched, Filter condition, Act act, List<String> fields) {
        public Clause {
            QueryException.required(act, "act");
            fields = List.copyOf(fields);
            if (matched == (act == Act.INSERT)) {
                throw QueryException.of(null, null, "A merge " + (matched ? "cannot insert a record that found its "
                        + "stored one: whenMatched() updates, deletes or does nothing"
                        : "cannot " + act.name().toLowerCase(java.util.Locale.ROOT) + " a record that found no stored "
                        + "one: whenNotMatched() inserts or does nothing"));
            }
        }
    }

    public Merge {
        on = List.copyOf(QueryException.required(on, "on"));
        clauses = List.copyOf(clauses);
        if (on.isEmpty()) {
            throw QueryException.of(null, null, "A merge names no field to find the stored records by: give "
                    + "Merge.on(\"sku\"), or several fields for a composite identity");
        }
    }

    /** A merge that finds each given record's stored one by these fields, and does nothing yet. */
    public static Merge on(String... fields) {
        return new Merge(List.of(QueryException.required(fields, "fields")), List.of());
    }

    /** The next clause takes every record that found its stored one. */
    public Matched whenMatched() {
        return new Matched(this, null);
    }

    /** The next clause takes the records that found their stored one and meet the condition (over the stored one). */
    public Matched whenMatched(Filter condition) {
        return new Matched(this, QueryException.required(condition, "condition"));
    }

    /** The next clause takes every record that found no stored one. */
    public NotMatched whenNotMatched() {
        return new NotMatched(this, null);
    }

    /** The next clause takes the records that found no stored one and meet the condition (over the given record). */
    public NotMatched whenNotMatched(Filter condition) {
        return new NotMatched(this, QueryException.required(condition, "condition"));
    }

    private Merge with(Clause clause) {
        List<Clause> more = new ArrayList<>(clauses);
        more.add(clause);
        return new Merge(on, more);
    }

    /** A {@code WHEN MATCHED} clause waiting for what it does. */
    public record Matched(Merge merge, Filter condition) {
        /** Overwrites these fields with the given record's (every given field but the {@code on} ones if none). */
        public Merge update(String... fields) {
            return merge.with(new Clause(true, condition, Act.UPDATE, List.of(QueryException.required(fields,
                    "fields"))));
        }

        /** Deletes the stored record (marks it deleted under {@code softDelete(...)}). */
        public Merge delete() {
            return merge.with(new Clause(true, condition, Act.DELETE, List.of()));
        }

        /** Leaves the stored record as it is, so that no later clause takes it. */
        public Merge doNothing() {
            return merge.with(new Clause(true, condition, Act.NOTHING, List.of()));
        }
    }

    /** A {@code WHEN NOT MATCHED} clause waiting for what it does. */
    public record NotMatched(Merge merge, Filter condition) {
        /** Stores the given record with the fields it gives. */
        public Merge insert() {
            return merge.with(new Clause(false, condition, Act.INSERT, List.of()));
        }

        /** Stores nothing, so that no later clause takes the record. */
        public Merge doNothing() {
            return merge.with(new Clause(false, condition, Act.NOTHING, List.of()));
        }
    }
}
