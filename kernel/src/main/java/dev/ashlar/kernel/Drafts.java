package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.DraftableCheck;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.DraftTally.Kind;
import dev.ashlar.kernel.DraftTally.Moved;
import dev.ashlar.kernel.data.DraftReport;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.data.internal.DraftResource.Drafted;
import dev.ashlar.kernel.data.internal.DraftResource.Element;
import dev.ashlar.kernel.schema.SqlLiterals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Publishing drafts to a draftable resource's table and restoring drafts from it (Ebean's {@code publish} and
 * {@code draftRestore}), each in one transaction through the handle's own reads and upserts, so the tenant scope,
 * row-level security and the upsert's tenant guard hold as for any write.
 */
final class Drafts {
    private Drafts() {
    }

    /**
     * Copies the drafts the filter selects to the table, inserting a record or overwriting it by key, then marks them
     * clean and clears their reset attributes; then does the same for their elements ({@code draftElement()}),
     * destroying first the elements whose drafts were destroyed. An element whose draft moved to another owner is
     * published with that owner, so the walk refuses, rolling back, to leave one its new owner did not take. Returns
     * what it wrote, resource by resource.
     *
     * @param graph    the drafts of each resource and the resources written, whose key sequences move after
     * @param withdraw whether the records of the table the filter selects that have no draft are destroyed first
     *                 ({@code publishWithdrawing}); only on a resource refusing live writes, which the caller checked
     */
    static DraftReport publish(Ashlar handle, Drafted drafted, Filter filter, Graph graph, boolean withdraw) {
        QueryException.required(filter, "filter");
        return handle.transaction(tx -> {
            if (withdraw) {
                // Only publish writes such a table, so a record with no draft is taken for one whose draft was
                // destroyed: asked for, never by default, as a row that never had a draft would be lost too.
                destroyUnmatched(tx, drafted, filter, graph, null);
            }
            int count = publishIn(tx, drafted, filter, graph, null);
            DraftRefusals.refuseMovedAway(drafted, graph.tally().movedUnwritten());
            graph.destroyLast().forEach(tx::destroyAll);
            return graph.tally().report(drafted.live(), count);
        });
    }

    private static int publishIn(Ashlar tx, Drafted drafted, Filter filter, Graph graph, Owners owners) {
        List<Row> drafts = tx.read(drafted.drafts()).where(filter).lock(Lock.FOR_UPDATE).list();
        if (drafts.isEmpty()) {
            return 0;
        }
        graph.reached(owners, drafted, drafted.drafts(), drafts);
        DraftRefusals.refuseHidden(drafted.live(), "publish", drafts);
        Map<List<Object>, String> existing = stored(tx, drafted, drafted.live(), drafted.liveTable(), drafts);
        DraftRefusals.refuseOverwritingUnlinked(drafted, drafts, existing.keySet());
        Set<List<Object>> changed = changed(tx, drafted, drafts, existing);
        List<Map<String, Object>> records = drafts.stream().map(draft -> withoutFlags(draft, drafted)).toList();
        List<Row> written = tx.upsert(drafted.live(), records, Upsert.onPrimaryKey());
        DraftRefusals.refuseUnwritten(drafted, drafts, written);
        graph.noteWritten(drafted, written, existing.keySet(), changed);
        tx.updateAll(drafts, cleaned(drafted));
        graph.written().add(drafted.live());
        copyElements(tx, drafted, drafts, graph, true, Drafts::publishIn);
        return written.size();
    }

    /** The field the stored values of a row are read into, to compare a draft with its record ({@link #stored}). */
    private static final String STORED = "ashlar_stored_values";

    /**
     * The stored values of the rows of {@code name} (its table, or its drafts) holding these rows' keys, by key, a
     * soft-deleted one too, as the text of the server's {@code jsonb} of the row without {@link Drafted#uncompared}
     * ({@link #changed} compares them as {@code jsonb}). A draft holding a field its field policy hides from the actor
     * was refused before ({@link DraftRefusals#refuseHidden}), so no value compared here is a masked one.
     */
    private static Map<List<Object>, String> stored(Ashlar tx, Drafted drafted, String name, String table,
                                                    List<Row> rows) {
        Map<List<Object>, String> held = new HashMap<>();
        if (rows.isEmpty()) {
            return held;
        }
        String left = drafted.uncompared().stream().map(SqlLiterals::of)
                .collect(Collectors.joining(", ", "ARRAY[", "]::text[]"));
        tx.read(name).where(keyIn(drafted, rows.stream().map(row -> keyOf(drafted, row)).toList()))
                .ignoreBaseFilter().compute(STORED, String.class, "(to_jsonb(" + Identifiers.quote(table) + ") - "
                        + left + ")::text").list()
                .forEach(row -> held.put(keyOf(drafted, row), (String) row.get(STORED)));
        return held;
    }

    /**
     * The keys of the records whose stored values the drafts change ({@link #stored}), compared as {@code jsonb}
     * values, as the dirty flag's trigger compares them ({@code 1.0} and {@code 1.00} of a {@code numeric} are equal):
     * a record overwritten with the values it holds is written, but not counted as updated.
     */
    private static Set<List<Object>> changed(Ashlar tx, Drafted drafted, List<Row> drafts,
                                             Map<List<Object>, String> existing) {
        List<Row> overwriting = drafts.stream().filter(draft -> existing.containsKey(keyOf(drafted, draft))).toList();
        Map<List<Object>, String> published = stored(tx, drafted, drafted.drafts(), drafted.table(), overwriting);
        List<List<Object>> keys = new ArrayList<>(published.keySet());
        if (keys.isEmpty()) {
            return Set.of();
        }
        List<String> before = keys.stream().map(existing::get).toList();
        List<String> after = keys.stream().map(published::get).toList();
        // Values only, no table: the statement reads nothing of any tenant.
        List<Long> differing = tx.withoutTenant().sql("SELECT pair.i FROM unnest(?::text[], ?::text[]) "
                + "WITH ORDINALITY AS pair(before, after, i) WHERE pair.before::jsonb IS DISTINCT FROM pair.after::jsonb",
                before, after).values(Long.class);
        Set<List<Object>> changed = new HashSet<>();
        differing.forEach(i -> changed.add(keys.get((int) (i - 1))));
        return changed;
    }

    /** How publish or restore copies one resource's records the filter selects. */
    private interface Copy {
        int copy(Ashlar tx, Drafted drafted, Filter filter, Graph graph, Owners owners);
    }

    /**
     * The records whose elements a step of the walk reads: of {@code drafted}, read from {@code side} (its table or its
     * drafts), related to the elements through {@code element}.
     */
    private record Owners(Drafted drafted, String side, Element element, List<Row> rows, boolean publish) {
    }

    /**
     * Copies the elements of the owners, each relationship's in turn, after destroying those the copy leaves without
     * a counterpart: the live elements whose drafts were destroyed (publish), or the element drafts with no live
     * record (restore).
     */
    private static void copyElements(Ashlar tx, Drafted drafted, List<Row> owners, Graph graph, boolean publish,
                                     Copy copy) {
        String side = publish ? drafted.drafts() : drafted.live();
        for (Element element : drafted.elements()) {
            Drafted elements = graph.draftsOf().apply(element.destination());
            Filter owned = owned(element, owners);
            Owners by = new Owners(drafted, side, element, owners, publish);
            destroyUnmatched(tx, elements, owned, graph, by);
            copy.copy(tx, elements, owned, graph, by);
        }
    }

    /**
     * Destroys the owned rows of the table (publish) or of the drafts (restore) that have no row of their key on the
     * other side, their own elements first (a record's elements hold its key, so they go before it). With no owners,
     * the records of a published resource that refuses live writes the filter selects whose drafts were destroyed.
     */
    private static void destroyUnmatched(Ashlar tx, Drafted drafted, Filter owned, Graph graph, Owners owners) {
        boolean publish = owners == null || owners.publish();
        String side = publish ? drafted.live() : drafted.drafts();
        List<Row> rows = tx.read(side).where(owned).lock(Lock.FOR_UPDATE).list();
        Map<List<Object>, Row> others = counterparts(tx, drafted, publish ? drafted.drafts() : drafted.live(), rows,
                false);
        if (owners != null) {
            notedMoved(drafted, owners, rows, others, graph.tally());
        }
        List<Row> unmatched = rows.stream().filter(row -> !others.containsKey(keyOf(drafted, row))).toList();
        if (unmatched.isEmpty()) {
            return;
        }
        graph.reached(owners, drafted, side, unmatched);
        int movedBefore = graph.tally().movedCount();
        for (Element element : drafted.elements()) {
            destroyUnmatched(tx, graph.draftsOf().apply(element.destination()), owned(element, unmatched), graph,
                    new Owners(drafted, side, element, unmatched, publish));
        }
        unmatched.forEach(row -> graph.tally().note(drafted.live(), keyOf(drafted, row), Kind.DESTROYED));
        if (graph.tally().movedCount() == movedBefore) {
            tx.destroyAll(unmatched);
        } else {
            // An element below them moves to another owner, which the walk copies later: they go once it has moved,
            // as a foreign key to them would refuse their destroy before.
            graph.destroyLast().add(unmatched);
        }
    }

    /**
     * Notes the rows whose counterpart on the other side hangs below another owner: an element whose draft moved to
     * another record (or whose record did, when restoring).
     */
    private static void notedMoved(Drafted drafted, Owners owners, List<Row> rows, Map<List<Object>, Row> others,
                                   DraftTally tally) {
        String attribute = owners.element().destinationAttribute();
        for (Row row : rows) {
            Row other = others.get(keyOf(drafted, row));
            if (other != null && !Objects.equals(Graph.comparable(row.get(attribute)),
                    Graph.comparable(other.get(attribute)))) {
                tally.moved(new Moved(drafted.live(), keyOf(drafted, row), owners.drafted().live() + "."
                        + owners.element().relationship(), row.get(attribute), other.get(attribute)));
            }
        }
    }

    /**
     * Copies the table's records the filter selects back to their drafts, inserting a draft or overwriting it by key,
     * clean and with their reset attributes cleared; then does the same for their elements, destroying first the
     * element drafts that have no record in the table (created since). An element draft moved to another owner than
     * its record's is restored from its record too, back below that owner. Returns what it wrote, resource by
     * resource.
     */
    static DraftReport restore(Ashlar handle, Drafted drafted, Filter filter, Graph graph) {
        QueryException.required(filter, "filter");
        return handle.transaction(tx -> {
            int count = restoreIn(tx, drafted, filter, graph, null);
            restoreMovedBack(tx, graph);
            graph.destroyLast().forEach(tx::destroyAll);
            return graph.tally().report(drafted.live(), count);
        });
    }

    /**
     * Restores, from their records, the element drafts the walk found below another owner than their records are,
     * and what they reach in turn, until none is left: a moved draft both owners would otherwise disown.
     */
    private static void restoreMovedBack(Ashlar tx, Graph graph) {
        Set<Moved> tried = new HashSet<>();
        List<Moved> pending = graph.tally().movedUnwritten();
        while (tried.addAll(pending)) {
            Map<String, List<List<Object>>> byResource = new LinkedHashMap<>();
            pending.forEach(m -> byResource.computeIfAbsent(m.resource(), r -> new ArrayList<>()).add(m.key()));
            byResource.forEach((resource, keys) -> {
                Drafted elements = graph.draftsOf().apply(resource);
                restoreIn(tx, elements, keyIn(elements, keys), graph, null);
            });
            pending = graph.tally().movedUnwritten();
        }
    }

    private static int restoreIn(Ashlar tx, Drafted drafted, Filter filter, Graph graph, Owners owners) {
        List<Row> live = tx.read(drafted.live()).where(filter).list();
        if (live.isEmpty()) {
            return 0;
        }
        graph.reached(owners, drafted, drafted.live(), live);
        DraftRefusals.refuseHidden(drafted.live(), "restoreDraft", live);
        Set<List<Object>> existing = counterparts(tx, drafted, drafted.drafts(), live, true).keySet();
        Map<String, Object> cleaned = cleaned(drafted);
        cleaned.remove(DraftableCheck.DIRTY);
        if (drafted.unseenVersion() != null) {
            cleaned.remove(drafted.unseenVersion()); // the record's own version is written, as any field's
        }
        List<Map<String, Object>> records = live.stream().map(row -> {
            Map<String, Object> record = new LinkedHashMap<>(row.toMap());
            record.putAll(cleaned);
            return record;
        }).toList();
        List<Row> written = tx.upsert(drafted.drafts(), records, Upsert.onPrimaryKey());
        // The insert or change marked them dirty; a change of the flag alone leaves it as written.
        Map<String, Object> clean = new HashMap<>(Map.of(DraftableCheck.DIRTY, false));
        if (drafted.unseenVersion() != null) {
            clean.put(drafted.unseenVersion(), Atomic.of(drafted.unseenVersion()));
        }
        tx.updateAll(written, clean);
        graph.noteWritten(drafted, written, existing);
        graph.written().add(drafted.drafts());
        copyElements(tx, drafted, live, graph, false, Drafts::restoreIn);
        return written.size();
    }

    /**
     * The rows of the other name (the table, or the drafts) holding the keys of these rows, by key.
     *
     * @param pastBaseFilter whether a row the base filter hides (a soft-deleted one) counts: it does for the rows an
     *                       upsert overwrites, which it reaches whatever the filter
     */
    private static Map<List<Object>, Row> counterparts(Ashlar tx, Drafted drafted, String other, List<Row> rows,
                                                       boolean pastBaseFilter) {
        Map<List<Object>, Row> held = new HashMap<>();
        if (!rows.isEmpty()) {
            List<List<Object>> keys = rows.stream().map(row -> keyOf(drafted, row)).toList();
            var read = tx.read(other).where(keyIn(drafted, keys));
            (pastBaseFilter ? read.ignoreBaseFilter() : read).list().forEach(row -> held.put(keyOf(drafted, row),
                    row));
        }
        return held;
    }

    /** The element's records of these owners: those whose destination attribute holds an owner's source attribute. */
    private static Filter owned(Element element, List<Row> owners) {
        return Filter.in(element.destinationAttribute(), owners.stream().map(row -> row.get(element.sourceAttribute()))
                .filter(Objects::nonNull).distinct().toList());
    }

    static List<Object> keyOf(Drafted drafted, Row row) {
        return drafted.key().stream().map(row::get).toList();
    }

    private static Filter keyIn(Drafted drafted, List<List<Object>> keys) {
        return drafted.key().size() == 1
                ? Filter.in(drafted.key().get(0), keys.stream().map(key -> key.get(0)).toList())
                : Filter.rowIn(drafted.key(), keys);
    }

    /**
     * What a publish or restore follows through the elements: the drafts of each resource by name, the names written,
     * whose key sequences move past the copied keys once it commits, what it wrote ({@code tally}), and the rows it
     * destroys only at the end, once the elements moved off them have moved ({@code destroyLast}).
     */
    record Graph(Function<String, Drafted> draftsOf, Set<String> written, Map<List<Object>, Set<List<Object>>> above,
                 DraftTally tally, List<List<Row>> destroyLast) {
        Graph(Function<String, Drafted> draftsOf, Set<String> written) {
            this(draftsOf, written, new HashMap<>(), new DraftTally(), new ArrayList<>());
        }

        /** Notes the rows a copy wrote, as updated where {@code existing} held their key before, else created. */
        void noteWritten(Drafted drafted, List<Row> rows, Set<List<Object>> existing) {
            noteWritten(drafted, rows, existing, existing);
        }

        /** {@link #noteWritten(Drafted, List, Set)}, an existing row updated only if {@code changed} holds it. */
        void noteWritten(Drafted drafted, List<Row> rows, Set<List<Object>> existing, Set<List<Object>> changed) {
            for (Row row : rows) {
                List<Object> key = keyOf(drafted, row);
                tally.note(drafted.live(), key, !existing.contains(key) ? Kind.CREATED
                        : changed.contains(key) ? Kind.UPDATED : Kind.UNCHANGED);
            }
        }

        /**
         * Notes the owners each record the walk reached through {@code owners} hangs below, and refuses, before the
         * walk goes round forever, a record found below itself: data where a record is an element of its own elements
         * (or of itself). A record reached twice without a cycle (selected by the filter and the element of another
         * selected one) is walked again, as before.
         *
         * @throws QueryException naming the resource, the records of the cycle and the fix; the transaction rolls back
         */
        void reached(Owners owners, Drafted drafted, String side, List<Row> rows) {
            if (owners == null) {
                return;
            }
            Map<Object, List<Row>> bySource = new HashMap<>();
            owners.rows().forEach(owner -> bySource.computeIfAbsent(comparable(owner.get(
                    owners.element().sourceAttribute())), v -> new ArrayList<>()).add(owner));
            for (Row row : rows) {
                List<Object> ref = List.of(side, keyOf(drafted, row));
                Set<List<Object>> ancestors = new LinkedHashSet<>(above.getOrDefault(ref, Set.of()));
                for (Row owner : bySource.getOrDefault(comparable(row.get(owners.element().destinationAttribute())),
                        List.of())) {
                    List<Object> ownerRef = List.of(owners.side(), keyOf(owners.drafted(), owner));
                    ancestors.add(ownerRef);
                    ancestors.addAll(above.getOrDefault(ownerRef, Set.of()));
                }
                above.put(ref, ancestors);
                if (ancestors.contains(ref)) {
                    throw cycle(owners, drafted, ref, ancestors);
                }
            }
        }

        private QueryException cycle(Owners owners, Drafted drafted, List<Object> ref, Set<List<Object>> ancestors) {
            List<String> records = new ArrayList<>(List.of("'" + ref.get(0) + "' " + ref.get(1)));
            ancestors.stream().filter(a -> !a.equals(ref) && above.getOrDefault(a, Set.of()).contains(ref))
                    .forEach(a -> records.add("'" + a.get(0) + "' " + a.get(1)));
            String action = owners.publish() ? "publish" : "restoreDraft";
            Element element = owners.element();
            return QueryException.of(drafted.live(), element.destinationAttribute(), action + " of '"
                    + drafted.live() + "' is refused: its draft elements form a cycle in the data, so the walk through "
                    + "them would not end: record " + ref.get(1) + " of '" + drafted.live() + "' is an element of "
                    + "itself through '" + owners.drafted().live() + "." + element.relationship() + "' (the records "
                    + "of the cycle: " + String.join(", ", records) + "). Set "
                    + element.destinationAttribute() + " of one of those records to another record's key or null, "
                    + "or remove draftElement() from '" + element.relationship() + "'. Nothing was written.");
        }

        /** A key value as a map key: numbers by their digits, so an int column's value meets a bigint key's. */
        static Object comparable(Object value) {
            return value instanceof Number ? value.toString() : value;
        }
    }

    /** A draft as its record in the table: without the flags and the attributes stored only in drafts. */
    private static Map<String, Object> withoutFlags(Row draft, Drafted drafted) {
        Map<String, Object> record = new LinkedHashMap<>(draft.toMap());
        record.remove(DraftableCheck.DIRTY);
        record.remove(DraftableCheck.LIVE);
        record.keySet().removeAll(drafted.draftOnly());
        return record;
    }

    /**
     * What publish and restore write to a draft: clean, live, the reset attributes cleared. A lock version the dirty
     * flag's trigger does not know (named only on the builder) is kept as stored rather than counted up, as a change
     * of it would mark the draft dirty again; one the resource names the trigger ignores, so it counts up as on any
     * update.
     */
    private static Map<String, Object> cleaned(Drafted drafted) {
        Map<String, Object> changes = new HashMap<>();
        changes.put(DraftableCheck.DIRTY, false);
        changes.put(DraftableCheck.LIVE, true);
        drafted.reset().forEach(attribute -> changes.put(attribute, null));
        if (drafted.unseenVersion() != null) {
            changes.put(drafted.unseenVersion(), Atomic.of(drafted.unseenVersion()));
        }
        return changes;
    }
}
