package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.kernel.data.Manage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record a belongs-to points at, written before the record that holds its key: it is created, found or updated
 * first and its key goes into the written values, so the holder's insert or update stores it with the rest.
 */
final class ManagedParent {
    private ManagedParent() {
    }

    /**
     * Writes the related record the management names and puts its key (or null, to unlink) into {@code values};
     * returns the record related before that direct control replaced and that is to be destroyed once the holder no
     * longer points at it, or empty.
     *
     * @param holder the record as stored before the write, or null for a create
     */
    static Optional<Row> write(RelatedInput input, Row holder, Map<String, Object> values) {
        BelongsTo relationship = (BelongsTo) input.relationship();
        List<Object> items = input.items();
        Object item = items.isEmpty() ? null : items.get(0);
        Optional<Row> current = holder == null || holder.get(relationship.attribute()) == null ? Optional.empty()
                : input.tx().load(holder, input.name()).relatedOne(input.name());
        Manage.Type type = input.manage().type();
        if (item == null) {
            if (type == Manage.Type.APPEND_AND_REMOVE || type == Manage.Type.DIRECT_CONTROL) {
                values.put(relationship.attribute(), null);
                return type == Manage.Type.DIRECT_CONTROL ? destroyedAfter(input, current) : Optional.empty();
            }
            return Optional.empty();
        }
        Row target = switch (type) {
            case CREATE -> created(input, item);
            case APPEND, APPEND_AND_REMOVE -> input.existing(0, input.key(0, item), "link");
            case REMOVE -> input.among(current.stream().toList(), 0, input.key(0, item), "unlink");
            case DIRECT_CONTROL -> controlled(input, item, current);
        };
        values.put(relationship.attribute(), type == Manage.Type.REMOVE ? null
                : target.get(relationship.destinationAttribute()));
        boolean replaced = current.isPresent() && !input.sameRecord(current.get(), target);
        return type == Manage.Type.DIRECT_CONTROL && replaced ? destroyedAfter(input, current) : Optional.empty();
    }

    private static Row created(RelatedInput input, Object item) {
        Map<String, Object> record = input.record(0, item);
        return input.at(0, () -> input.create(record));
    }

    private static Row controlled(RelatedInput input, Object item, Optional<Row> current) {
        return input.controlled(0, input.record(0, item), current.stream().toList(), () -> created(input, item),
                changes -> { });
    }

    private static Optional<Row> destroyedAfter(RelatedInput input, Optional<Row> current) {
        return input.manage().unlinksMissing() ? Optional.empty() : current;
    }
}
