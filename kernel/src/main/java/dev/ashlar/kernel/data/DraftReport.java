package dev.ashlar.kernel.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a publish or a restore did (Ebean's {@code publish} returns the beans it published): for the resource named
 * and for every resource whose records it reached as elements ({@code draftElement()}), how many records of the
 * other side it created, updated and destroyed. A publish writes the resources' tables; a restore writes their
 * drafts. A record reached twice in one walk (a tree whose filter selects parents and children alike) counts once.
 *
 * <pre>{@code
 * DraftReport report = ashlar.publishReport("document", Filter.eq("id", 7));
 * report.of("media").destroyed();   // the live media whose drafts were destroyed
 * }</pre>
 *
 * @param resource  the resource published or restored
 * @param count     how many of its records the filter selected and were written: what {@code publish} and
 *                  {@code restoreDraft} return
 * @param resources the counts of each resource written, the resource named first, then in the order reached
 */
public record DraftReport(String resource, int count, Map<String, Counts> resources) {
    public DraftReport {
        resources = Collections.unmodifiableMap(new LinkedHashMap<>(resources));
    }

    /**
     * The counts of one resource, zero everywhere for one this walk did not write.
     *
     * @param created   records inserted on the written side (the table for publish, the drafts for restore)
     * @param updated   records overwritten there by key: for publish, those whose values the draft changed (compared
     *                  as the dirty flag's trigger compares them); for restore, every one overwritten. A record a
     *                  publish rewrites with the values it held (its lock version counted up) is in the report's
     *                  {@link DraftReport#count()} only
     * @param destroyed records destroyed there because the other side had none of their key
     */
    public record Counts(int created, int updated, int destroyed) {
        static final Counts NONE = new Counts(0, 0, 0);

        /**
         * The records created or updated. For a publish, not every record it wrote: one rewritten with the values it
         * held is left out (see {@link #updated}), so the report's {@link DraftReport#count()} can exceed it.
         */
        public int written() {
            return created + updated;
        }
    }

    /** The counts of {@code name} ({@code "media"}), zero for a resource this publish or restore did not reach. */
    public Counts of(String name) {
        return resources.getOrDefault(name, Counts.NONE);
    }
}
