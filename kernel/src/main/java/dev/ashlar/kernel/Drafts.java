package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.DraftableCheck;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Lock;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.data.internal.DraftResource.Drafted;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
     * clean and clears their reset attributes; returns how many records it wrote.
     */
    static int publish(Ashlar handle, Drafted drafted, Filter filter) {
        QueryException.required(filter, "filter");
        return handle.transaction(tx -> {
            List<Row> drafts = tx.read(drafted.drafts()).where(filter).lock(Lock.FOR_UPDATE).list();
            if (drafts.isEmpty()) {
                return 0;
            }
            List<Map<String, Object>> records = drafts.stream().map(Drafts::withoutDirty).toList();
            List<Row> written = tx.upsert(drafted.live(), records, Upsert.onPrimaryKey());
            refuseTaken(drafted, drafts, written);
            tx.updateAll(drafts, cleaned(drafted));
            return written.size();
        });
    }

    /**
     * Copies the table's records the filter selects back to their drafts, inserting a draft or overwriting it by key,
     * clean and with their reset attributes cleared; returns how many drafts it wrote.
     */
    static int restore(Ashlar handle, Drafted drafted, Filter filter) {
        QueryException.required(filter, "filter");
        return handle.transaction(tx -> {
            List<Row> live = tx.read(drafted.live()).where(filter).list();
            if (live.isEmpty()) {
                return 0;
            }
            Map<String, Object> cleaned = cleaned(drafted);
            cleaned.remove(DraftableCheck.DIRTY);
            List<Map<String, Object>> records = live.stream().map(row -> {
                Map<String, Object> record = new LinkedHashMap<>(row.toMap());
                record.putAll(cleaned);
                return record;
            }).toList();
            List<Row> written = tx.upsert(drafted.drafts(), records, Upsert.onPrimaryKey());
            refuseTaken(drafted, live, written);
            // The insert or change marked them dirty; a change of the flag alone leaves it as written.
            tx.updateAll(written, Map.of(DraftableCheck.DIRTY, false));
            return written.size();
        });
    }

    private static Map<String, Object> withoutDirty(Row draft) {
        Map<String, Object> record = new LinkedHashMap<>(draft.toMap());
        record.remove(DraftableCheck.DIRTY);
        return record;
    }

    private static Map<String, Object> cleaned(Drafted drafted) {
        Map<String, Object> changes = new HashMap<>();
        changes.put(DraftableCheck.DIRTY, false);
        drafted.reset().forEach(attribute -> changes.put(attribute, null));
        return changes;
    }

    /**
     * A record the upsert did not write met a stored one of the same key that the handle may not overwrite (another
     * tenant's): the whole publish or restore is refused, naming the keys.
     */
    private static void refuseTaken(Drafted drafted, List<Row> copied, List<Row> written) {
        if (written.size() == copied.size()) {
            return;
        }
        Set<List<Object>> done = written.stream().map(row -> key(drafted, row)).collect(Collectors.toSet());
        List<List<Object>> taken = copied.stream().map(row -> key(drafted, row)).filter(k -> !done.contains(k))
                .toList();
        throw QueryException.of(drafted.live(), null, "publishing or restoring drafts of '" + drafted.live()
                + "' is refused: the records of key " + drafted.key() + " " + taken + " are stored already for "
                + "another tenant, whose records this handle may not overwrite; nothing was copied. Give those drafts "
                + "keys of their own");
    }

    private static List<Object> key(Drafted drafted, Row row) {
        return drafted.key().stream().map(row::get).toList();
    }
}
