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
}
