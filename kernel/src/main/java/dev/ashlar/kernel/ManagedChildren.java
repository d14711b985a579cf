package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.HasOne;
import dev.ashlar.kernel.data.Manage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of a has-many or has-one written with their parent: each related record holds the parent's key in the
 * relationship's destination attribute, so creating or linking one writes that attribute, and unlinking one sets it to
 * null. Runs after the parent is written, so a new parent's key flows into its children.
 */
final class ManagedChildren {
    private final RelatedInput input;
    private final String holder;
    private final Object parentKey;

    private ManagedChildren(RelatedInput input, Row parent) {
        this.input = input;
        this.holder = input.relationship().destinationAttribute();
        this.parentKey = parent.get(input.relationship().sourceAttribute());
        if (parentKey == null) {
            throw input.refused(input.name(), "cannot be related: this " + input.source().name() + "'s "
                    + input.relationship().sourceAttribute() + ", which its records hold, is null");
        }
    }

    /** Writes the given records as the management's type says, for the parent as stored. */
    static void write(RelatedInput input, Row parent) {
        new ManagedChildren(input, parent).write(parent);
    }

    private void write(Row parent) {
        List<Object> items = input.items();
        Manage manage = input.manage();
        boolean one = input.relationship() instanceof HasOne;
        List<Row> related = manage.type() == Manage.Type.CREATE && !one ? List.of()
                : input.tx().load(parent, input.name()).related(input.name());
        List<Row> kept = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            kept.add(writeItem(i, items.get(i), related));
        }
        // A has-one holds one record: the one given takes the place of the one related before, as a has-many's
        // given set does for append_and_remove and direct_control.
        boolean replaces = manage.type() == Manage.Type.APPEND_AND_REMOVE || manage.type() == Manage.Type.DIRECT_CONTROL
                || one && manage.type() != Manage.Type.REMOVE;
        if (replaces) {
            for (Row missing : missing(related, kept)) {
                if (manage.type() == Manage.Type.DIRECT_CONTROL && !manage.unlinksMissing()) {
                    input.within(input.name(), () -> destroyed(missing));
                } else {
                    input.within(input.name(), () -> unlinked(missing));
                }
            }
        }
    }

    private Row writeItem(int index, Object item, List<Row> related) {
        return switch (input.manage().type()) {
            case CREATE -> created(index, item);
            case APPEND, APPEND_AND_REMOVE -> linked(index, input.existing(index, input.key(index, item), "link"));
            case REMOVE -> {
                Row unlinking = input.among(related, index, input.key(index, item), "unlink");
                yield input.at(index, () -> unlinked(unlinking));
            }
            case DIRECT_CONTROL -> controlled(index, item, related);
        };
    }

    private Row created(int index, Object item) {
        Map<String, Object> record = input.record(index, item);
        refuseOtherParent(index, record);
        record.put(holder, parentKey);
        return input.at(index, () -> input.tx().create(input.destination().name(), record));
    }

    private Row controlled(int index, Object item, List<Row> related) {
        Map<String, Object> record = input.record(index, item);
        Object key = record.get(input.keyField());
        if (key == null) {
            return created(index, item);
        }
        Row current = input.among(related, index, key, "update");
        refuseOtherParent(index, record);
        record.remove(input.keyField());
        return input.at(index, () -> input.tx().update(current, record));
    }

    private Row linked(int index, Row found) {
        if (RelatedInput.sameKey(found.get(holder), parentKey)) {
            return found;
        }
        return input.at(index, () -> input.tx().update(found, Map.of(holder, parentKey)));
    }

    private Row unlinked(Row row) {
        Map<String, Object> cleared = new HashMap<>();
        cleared.put(holder, null);
        return input.tx().update(row, cleared);
    }

    private Row destroyed(Row row) {
        input.tx().destroy(row);
        return row;
    }

    /** A child may not name another parent than the one it is written with. */
    private void refuseOtherParent(int index, Map<String, Object> record) {
        if (record.containsKey(holder) && !RelatedInput.sameKey(record.get(holder), parentKey)) {
            throw input.refused(input.path(index), "gives " + holder + " = " + record.get(holder) + ", and a record "
                    + "of '" + input.name() + "' holds this " + input.source().name() + "'s key there: leave "
                    + holder + " out");
        }
    }

    /** The related records not among those written, by key. */
    private List<Row> missing(List<Row> related, List<Row> kept) {
        String key = input.keyField();
        return related.stream().filter(row -> kept.stream().noneMatch(k -> RelatedInput.sameKey(k.get(key),
                row.get(key)))).toList();
    }
}
