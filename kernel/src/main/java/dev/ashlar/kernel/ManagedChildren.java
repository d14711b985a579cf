package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.HasMany;
import dev.ashlar.api.resource.HasOne;
import dev.ashlar.kernel.data.Manage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of a has-many or has-one written with their parent: each related record holds the parent's key in the
 * relationship's destination attribute, so creating or linking one writes that attribute, and unlinking one sets it to
 * null. Runs after the parent is written, so a new parent's key flows into its children. A has-many with an
 * {@code orderColumn} numbers the records given in their order: from 0 where they make the whole list (append and
 * remove, direct control), after the highest position held where they add to it (create, append).
 */
final class ManagedChildren {
    private final RelatedInput input;
    private final String holder;
    private final Object parentKey;
    /** The destination's attribute that keeps each record's position, or null. */
    private final String order;
    /** The position of the first record given. */
    private int first;

    private ManagedChildren(RelatedInput input, Row parent) {
        this.input = input;
        this.holder = input.relationship().destinationAttribute();
        this.parentKey = parent.get(input.relationship().sourceAttribute());
        this.order = input.relationship() instanceof HasMany many ? many.orderAttribute() : null;
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
        List<Row> related = manage.type() == Manage.Type.CREATE && !one && order == null ? List.of()
                : input.tx().load(parent, input.name()).related(input.name());
        boolean wholeList = manage.type() == Manage.Type.APPEND_AND_REMOVE
                || manage.type() == Manage.Type.DIRECT_CONTROL;
        first = order == null || wholeList ? 0 : related.stream().map(row -> row.get(order))
                .filter(Number.class::isInstance).mapToInt(position -> ((Number) position).intValue() + 1).max()
                .orElse(0);
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
        positioned(index, record);
        return input.at(index, () -> input.create(record));
    }

    private Row controlled(int index, Object item, List<Row> related) {
        return input.controlled(index, input.record(index, item), related, () -> created(index, item), changes -> {
            refuseOtherParent(index, changes);
            positioned(index, changes);
        });
    }

    private Row linked(int index, Row found) {
        Map<String, Object> changes = new HashMap<>();
        changes.put(holder, parentKey);
        positioned(index, changes);
        if (RelatedInput.sameKey(found.get(holder), parentKey)
                && (order == null || RelatedInput.sameKey(found.get(order), changes.get(order)))) {
            return found;
        }
        return input.at(index, () -> input.tx().update(found, changes));
    }

    /** The record's position in the list, when the relationship keeps one: it replaces any the record gives. */
    private void positioned(int index, Map<String, Object> record) {
        if (order != null) {
            record.put(order, first + index);
        }
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
        return related.stream().filter(row -> kept.stream().noneMatch(k -> input.sameRecord(k, row))).toList();
    }
}
