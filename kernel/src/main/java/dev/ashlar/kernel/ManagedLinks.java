package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.ManyToMany;
import dev.ashlar.kernel.data.Manage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;

/**
 * The records of a many-to-many written with their source record: a record is linked by creating a join record
 * holding both keys (once: a link already there is kept), and unlinked by destroying the join records between the
 * two, through the join resource's own rules (its tenant scope, soft delete, write listeners).
 */
final class ManagedLinks {
    private final RelatedInput input;
    private final ManyToMany relationship;
    private final Object sourceKey;
    private final List<Object> linkedKeys;

    private ManagedLinks(RelatedInput input, Row source) {
        this.input = input;
        this.relationship = (ManyToMany) input.relationship();
        this.sourceKey = source.get(relationship.sourceAttribute());
        if (sourceKey == null) {
            throw input.refused(input.name(), "cannot be linked: this " + input.source().name() + "'s "
                    + relationship.sourceAttribute() + ", which its join records hold, is null");
        }
        this.linkedKeys = new ArrayList<>(input.tx().read(relationship.through())
                .where(eq(relationship.sourceAttributeOnJoin(), sourceKey)).list().stream()
                .map(join -> join.get(relationship.destinationAttributeOnJoin())).toList());
    }

    /** Writes the given records as the management's type says, for the source record as stored. */
    static void write(RelatedInput input, Row source) {
        new ManagedLinks(input, source).write(source);
    }

    private void write(Row source) {
        List<Object> items = input.items();
        Manage manage = input.manage();
        List<Row> related = manage.type() == Manage.Type.CREATE || manage.type() == Manage.Type.APPEND ? List.of()
                : input.tx().load(source, input.name()).related(input.name());
        List<Row> kept = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            kept.add(writeItem(i, items.get(i), related));
        }
        if (manage.type() == Manage.Type.APPEND_AND_REMOVE || manage.type() == Manage.Type.DIRECT_CONTROL) {
            for (Row missing : related) {
                if (kept.stream().noneMatch(k -> input.sameRecord(k, missing))) {
                    input.within(input.name(), () -> unlinked(missing, manage.type() == Manage.Type.DIRECT_CONTROL
                            && !manage.unlinksMissing()));
                }
            }
        }
    }

    private Row writeItem(int index, Object item, List<Row> related) {
        return switch (input.manage().type()) {
            case CREATE -> linked(index, created(index, item));
            case APPEND, APPEND_AND_REMOVE -> linked(index, input.existing(index, input.key(index, item), "link"));
            case REMOVE -> {
                Row unlinking = input.among(related, index, input.key(index, item), "unlink");
                yield input.at(index, () -> unlinked(unlinking, false));
            }
            case DIRECT_CONTROL -> controlled(index, item, related);
        };
    }

    private Row created(int index, Object item) {
        Map<String, Object> record = input.record(index, item);
        return input.at(index, () -> input.create(record));
    }

    private Row controlled(int index, Object item, List<Row> related) {
        return input.controlled(index, input.record(index, item), related, () -> linked(index, created(index, item)),
                changes -> { });
    }

    private Row linked(int index, Row destination) {
        Object key = destination.get(relationship.destinationAttribute());
        if (linkedKeys.stream().noneMatch(k -> RelatedInput.sameKey(k, key))) {
            input.at(index, () -> input.tx().create(relationship.through(), Map.of(
                    relationship.sourceAttributeOnJoin(), sourceKey, relationship.destinationAttributeOnJoin(), key)));
            linkedKeys.add(key);
        }
        return destination;
    }

    /**
     * Destroys the join records between the source and the destination, and the destination too if asked and no other
     * record still links it (a tag another post holds is only unlinked from this one); asked past the policies, as a
     * link the actor may not read still holds it.
     */
    private Row unlinked(Row destination, boolean destroy) {
        Object key = destination.get(relationship.destinationAttribute());
        Filter link = and(eq(relationship.sourceAttributeOnJoin(), sourceKey),
                eq(relationship.destinationAttributeOnJoin(), key));
        input.tx().read(relationship.through()).where(link).destroyAll();
        linkedKeys.removeIf(k -> RelatedInput.sameKey(k, key));
        if (destroy && !input.tx().bypassPolicies().read(relationship.through()).ignoreBaseFilter()
                .where(eq(relationship.destinationAttributeOnJoin(), key)).exists()) {
            input.tx().destroy(destination);
        }
        return destination;
    }
}
