package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.DraftableCheck;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.data.internal.DraftResource.Drafted;
import dev.ashlar.kernel.data.internal.DraftResource.Element;

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
     * destroying first the elements whose drafts were destroyed. Returns how many records of the resource it wrote.
     *
     * @param graph the drafts of each resource and the resources written, whose key sequences move after
     */
    static int publish(Ashlar handle, Drafted drafted, Filter filter, Graph graph) {
        QueryException.required(filter, "filter");
        return handle.transaction(tx -> publishIn(tx, drafted, filter, graph, null));
    }

    private static int publishIn(Ashlar tx, Drafted drafted, Filter filter, Graph graph, Owners owners) {
        List<Row> drafts = tx.read(drafted.drafts()).where(filter).lock(Lock.FOR_UPDATE).list();
        if (drafts.isEmpty()) {
            return 0;
        }
        graph.reached(owners, drafted, drafted.drafts(), drafts);
        refuseHidden(drafted.live(), "publish", drafts);
        refuseOverwritingUnlinked(tx, drafted, drafts);
        List<Map<String, Object>> records = drafts.stream().map(draft -> withoutFlags(draft, drafted)).toList();
        List<Row> written = tx.upsert(drafted.live(), records, Upsert.onPrimaryKey());
        refuseUnwritten(drafted, drafts, written);
        tx.updateAll(drafts, cleaned(drafted));
        graph.written().add(drafted.live());
        copyElements(tx, drafted, drafts, graph, true, Drafts::publishIn);
        return written.size();
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
     * other side, their own elements first (a record's elements hold its key, so they go before it).
     */
    private static void destroyUnmatched(Ashlar tx, Drafted drafted, Filter owned, Graph graph, Owners owners) {
        boolean publish = owners.publish();
        String side = publish ? drafted.live() : drafted.drafts();
        List<Row> rows = tx.read(side).where(owned).lock(Lock.FOR_UPDATE).list();
        List<Row> unmatched = withoutCounterpart(tx, drafted, publish ? drafted.drafts() : drafted.live(), rows);
        if (unmatched.isEmpty()) {
            return;
        }
        graph.reached(owners, drafted, side, unmatched);
        for (Element element : drafted.elements()) {
            destroyUnmatched(tx, graph.draftsOf().apply(element.destination()), owned(element, unmatched), graph,
                    new Owners(drafted, side, element, unmatched, publish));
        }
        tx.destroyAll(unmatched);
    }

    /**
     * Copies the table's records the filter selects back to their drafts, inserting a draft or overwriting it by key,
     * clean and with their reset attributes cleared; then does the same for their elements, destroying first the
     * element drafts that have no record in the table (created since). Returns how many drafts of the resource it
     * wrote.
     */
    static int restore(Ashlar handle, Drafted drafted, Filter filter, Graph graph) {
        QueryException.required(filter, "filter");
        return handle.transaction(tx -> restoreIn(tx, drafted, filter, graph, null));
    }

    private static int restoreIn(Ashlar tx, Drafted drafted, Filter filter, Graph graph, Owners owners) {
        List<Row> live = tx.read(drafted.live()).where(filter).list();
        if (live.isEmpty()) {
            return 0;
        }
        graph.reached(owners, drafted, drafted.live(), live);
        refuseHidden(drafted.live(), "restoreDraft", live);
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
        graph.written().add(drafted.drafts());
        copyElements(tx, drafted, live, graph, false, Drafts::restoreIn);
        return written.size();
    }

    /** The rows whose key no row of the other name (the table, or the drafts) holds. */
    private static List<Row> withoutCounterpart(Ashlar tx, Drafted drafted, String other, List<Row> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        List<List<Object>> keys = rows.stream().map(row -> keyOf(drafted, row)).toList();
        Set<List<Object>> held = new HashSet<>();
        tx.read(other).where(keyIn(drafted, keys)).list().forEach(row -> held.add(keyOf(drafted, row)));
        return rows.stream().filter(row -> !held.contains(keyOf(drafted, row))).toList();
    }

    /** The element's records of these owners: those whose destination attribute holds an owner's source attribute. */
    private static Filter owned(Element element, List<Row> owners) {
        return Filter.in(element.destinationAttribute(), owners.stream().map(row -> row.get(element.sourceAttribute()))
                .filter(Objects::nonNull).distinct().toList());
    }

    private static List<Object> keyOf(Drafted drafted, Row row) {
        return drafted.key().stream().map(row::get).toList();
    }

    private static Filter keyIn(Drafted drafted, List<List<Object>> keys) {
        return drafted.key().size() == 1
                ? Filter.in(drafted.key().get(0), keys.stream().map(key -> key.get(0)).toList())
                : Filter.rowIn(drafted.key(), keys);
    }

    /**
     * What a publish or restore follows through the elements: the drafts of each resource by name, and the names
     * written, whose key sequences move past the copied keys once it commits.
     */
    record Graph(Function<String, Drafted> draftsOf, Set<String> written, Map<List<Object>, Set<List<Object>>> above) {
        Graph(Function<String, Drafted> draftsOf, Set<String> written) {
            this(draftsOf, written, new HashMap<>());
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
        private static Object comparable(Object value) {
            return value instanceof Number ? value.toString() : value;
        }
    }

    /**
     * Refuses, before anything is written, to copy records holding values their field policies hide from the actor:
     * the copy would leave those values behind, and the other table would keep stale ones.
     */
    private static void refuseHidden(String resource, String action, List<Row> rows) {
        for (Row row : rows) {
            for (String field : row.fields()) {
                if (row.forbidden(field)) {
                    throw new ForbiddenException(resource, action, "field " + field, action + " of '" + resource
                            + "' is refused: field '" + field + "' of some of its records is hidden from the actor "
                            + "by its field policy, so it could not be copied. Run it as an actor who sees it, or "
                            + "with bypassPolicies()");
                }
            }
        }
    }

    /**
     * Refuses, before anything is written, to publish a draft never published or restored (a new one, its key from the
     * draft table's identity) whose key a live record holds: that record was created in the table directly, and the
     * draft has nothing to do with it.
     */
    private static void refuseOverwritingUnlinked(Ashlar tx, Drafted drafted, List<Row> drafts) {
        List<List<Object>> fresh = drafts.stream().filter(draft -> !Boolean.TRUE.equals(draft.get(DraftableCheck.LIVE)))
                .map(draft -> keyOf(drafted, draft)).toList();
        if (fresh.isEmpty()) {
            return;
        }
        List<Object> taken = tx.read(drafted.live()).where(keyIn(drafted, fresh)).limit(10).list().stream()
                .map(row -> drafted.key().size() == 1 ? row.get(drafted.key().get(0))
                        : drafted.key().stream().map(row::get).toList()).toList();
        if (!taken.isEmpty()) {
            throw QueryException.of(drafted.live(), drafted.key().get(0), "publish of '" + drafted.live() + "' is "
                    + "refused: the records of " + drafted.key() + " " + taken + " in its table were not published "
                    + "from drafts nor restored to them (they were created there directly), and new drafts hold the "
                    + "same keys, so publishing would overwrite them. Restore those records to drafts first "
                    + "(restoreDraft, which discards the drafts' changes), or destroy the new drafts and create them "
                    + "with other keys. Nothing was published.");
        }
    }

    /**
     * Refuses, rolling the publish back, when the table kept some of its records rather than take the drafts: the
     * upsert leaves a record the handle may not change (another actor's under a policy, another kind's in a shared
     * table) as it is, and marking its draft published would say it was.
     */
    private static void refuseUnwritten(Drafted drafted, List<Row> drafts, List<Row> written) {
        if (written.size() == drafts.size()) {
            return;
        }
        throw QueryException.of(drafted.live(), drafted.key().get(0), "publish of '" + drafted.live() + "' is "
                + "refused: " + (drafts.size() - written.size()) + " of the " + drafts.size() + " drafts hold keys "
                + "of records in its table that this handle may not change (its policy, or another kind of record "
                + "in a shared table), so they could not be published. Publish them as a handle that may change "
                + "those records, or destroy those drafts and create them with other keys. Nothing was published.");
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
