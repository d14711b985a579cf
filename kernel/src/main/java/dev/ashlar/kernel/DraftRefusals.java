package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.DraftableCheck;
import dev.ashlar.kernel.DraftTally.Moved;
import dev.ashlar.kernel.data.internal.DraftResource.Drafted;

import java.util.List;
import java.util.Set;

/**
 * What publish and restore refuse, each before anything is written or rolling the walk back, with a message naming
 * the resource, the records and the fix.
 */
final class DraftRefusals {
    private DraftRefusals() {
    }

    /**
     * Refuses, before anything is written, to copy records holding values their field policies hide from the actor:
     * the copy would leave those values behind, and the other table would keep stale ones.
     */
    static void refuseHidden(String resource, String action, List<Row> rows) {
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
    static void refuseOverwritingUnlinked(Drafted drafted, List<Row> drafts, Set<List<Object>> existing) {
        List<Object> taken = drafts.stream().filter(draft -> !Boolean.TRUE.equals(draft.get(DraftableCheck.LIVE)))
                .map(draft -> Drafts.keyOf(drafted, draft)).filter(existing::contains).limit(10)
                .map(key -> key.size() == 1 ? key.get(0) : key).toList();
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
    static void refuseUnwritten(Drafted drafted, List<Row> drafts, List<Row> written) {
        if (written.size() == drafts.size()) {
            return;
        }
        throw QueryException.of(drafted.live(), drafted.key().get(0), "publish of '" + drafted.live() + "' is "
                + "refused: " + (drafts.size() - written.size()) + " of the " + drafts.size() + " drafts hold keys "
                + "of records in its table that this handle may not change (its policy, or another kind of record "
                + "in a shared table), so they could not be published. Publish them as a handle that may change "
                + "those records, or destroy those drafts and create them with other keys. Nothing was published.");
    }

    /**
     * Refuses, rolling the publish back, when an element whose draft moved away from a published owner was not
     * published with its new owner: the table would keep it below the old owner while its draft says otherwise, and
     * publishing the old owner alone could neither move it (its new owner may have no record yet) nor destroy it
     * (its draft is not destroyed).
     */
    static void refuseMovedAway(Drafted drafted, List<Moved> moved) {
        if (moved.isEmpty()) {
            return;
        }
        List<String> elements = moved.stream().limit(10).map(m -> "'" + m.resource() + "' " + m.key() + " (through '"
                + m.relationship() + "', from " + m.from() + " to " + (m.to() == null ? "no owner" : m.to()) + ")")
                .toList();
        throw QueryException.of(drafted.live(), null, "publish of '" + drafted.live() + "' is refused: the drafts of "
                + moved.size() + " element(s) moved to another owner, which this publish does not publish: "
                + String.join(", ", elements) + ". An element is published with the owner its draft names, so "
                + "publish that owner in the same call (a filter selecting both owners) or before this one; a draft "
                + "with no owner: set its owner, or destroy the draft. Nothing was published.");
    }
}
