package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.ManyToMany;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.data.Manage;
import dev.ashlar.kernel.data.internal.ClosestName;
import dev.ashlar.kernel.data.internal.DataLayer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A create or update that writes related records given under relationships' names with the record (Ash's
 * {@code manage_relationship}, Hibernate's and Ebean's cascades), in one transaction: belongs-to records first, so
 * their keys go into the record's own write, then the record, then its has-many, has-one and many-to-many records,
 * which take its key; last the records a direct control left behind. The record comes back with the managed
 * relationships loaded.
 *
 * @param resource   the written resource
 * @param attributes the values that are no relationship's
 * @param managed    each relationship given in the values, with its management
 */
record ManagedWrite(Resource resource, Map<String, Object> attributes, List<Managed> managed) {

    /** One relationship's records and how they are managed. */
    record Managed(Relationship relationship, Manage manage, Object given) {
    }

    /**
     * Splits the values into the record's own and the relationships' records.
     *
     * @throws QueryException for a management of no relationship, one given twice or of a relationship with no
     *                        attributes, and for a relationship in the values without a management
     */
    static ManagedWrite of(DataLayer data, String resourceName, Map<String, ?> values, List<Manage> manages) {
        Resource resource = data.resource(resourceName);
        QueryException.required(values, "values");
        Map<String, Manage> byName = new LinkedHashMap<>();
        for (Manage manage : manages) {
            QueryException.required(manage, "manage");
            Relationship relationship = relationship(resource, manage.relationship());
            if (relationship.noAttributes()) {
                throw QueryException.of(resource.name(), relationship.name(), "'" + relationship.name() + "' of "
                        + resource.name() + " has no attributes (related by its filter alone), so no write can link "
                        + "records to it: write them on their own");
            }
            refuseReadOnly(data, resource, relationship, manage);
            if (byName.put(manage.relationship(), manage) != null) {
                throw QueryException.of(resource.name(), manage.relationship(), "'" + manage.relationship()
                        + "' is managed twice in one write of " + resource.name() + ": give one Manage for it");
            }
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<Managed> managed = new ArrayList<>();
        values.forEach((field, value) -> {
            Optional<Relationship> relationship = resource.relationship(field);
            if (relationship.isEmpty()) {
                attributes.put(field, value);
            } else if (!byName.containsKey(field)) {
                throw QueryException.of(resource.name(), field, "The values of " + resource.name() + " give '"
                        + field + "', a relationship, without saying how to write it: pass Manage.relationship(\""
                        + field + "\") with create(), append(), appendAndRemove(), remove() or directControl()");
            } else {
                managed.add(new Managed(relationship.get(), byName.get(field), value));
            }
        });
        return new ManagedWrite(resource, attributes, managed);
    }

    /**
     * Refuses, before the record is written, a management that would write a {@code readOnly()} resource: the
     * destination's records (a to-one's or many-to-many's created or replaced, a to-many's keys) or a join record.
     */
    private static void refuseReadOnly(DataLayer data, Resource resource, Relationship relationship, Manage manage) {
        boolean writesDestination = !(relationship instanceof BelongsTo || relationship instanceof ManyToMany)
                || manage.type() == Manage.Type.CREATE || manage.type() == Manage.Type.DIRECT_CONTROL;
        List<String> written = new ArrayList<>();
        if (writesDestination) {
            written.add(relationship.destination());
        }
        if (relationship instanceof ManyToMany manyToMany) {
            written.add(manyToMany.through());
        }
        for (String name : written) {
            if (data.resource(name).tableOptions().readOnly()) {
                throw QueryException.of(resource.name(), relationship.name(), "'" + relationship.name() + "' of "
                        + resource.name() + " would write " + name + ", which is readOnly(): nothing was written. "
                        + "Write the record without managing '" + relationship.name() + "'");
            }
        }
    }

    private static Relationship relationship(Resource resource, String name) {
        return resource.relationship(name).orElseThrow(() -> {
            List<String> names = resource.relationships().stream().map(Relationship::name).toList();
            return QueryException.of(resource.name(), name, "Resource '" + resource.name() + "' has no relationship '"
                    + name + "'" + ClosestName.hint(name, names) + " to manage; its relationships are " + names);
        });
    }

    /** Writes the record ({@code stored} null: creates it) and the related records, in the handle's transaction. */
    Row write(Ashlar handle, DataLayer data, Row stored) {
        String action = stored == null ? "create" : "update";
        return handle.transaction(tx -> {
            Map<String, Object> values = new LinkedHashMap<>(attributes);
            List<Runnable> afterwards = new ArrayList<>();
            for (Managed m : managed) {
                if (m.relationship() instanceof BelongsTo) {
                    RelatedInput input = input(tx, data, action, m);
                    ManagedParent.write(input, stored, values).ifPresent(replaced -> afterwards.add(() ->
                            input.within(input.name(), () -> destroyedUnlessHeld(tx, (BelongsTo) m.relationship(),
                                    replaced))));
                }
            }
            Row written = stored == null ? tx.create(resource.name(), values) : tx.update(stored, values);
            for (Managed m : managed) {
                if (m.relationship() instanceof ManyToMany) {
                    ManagedLinks.write(input(tx, data, action, m), written);
                } else if (!(m.relationship() instanceof BelongsTo)) {
                    ManagedChildren.write(input(tx, data, action, m), written);
                }
            }
            afterwards.forEach(Runnable::run);
            return tx.load(written, managed.stream().map(m -> m.relationship().name()).toArray(String[]::new));
        });
    }

    /**
     * Destroys the record a direct control of a belongs-to replaced, unless another record of this resource still
     * points at it (an author of other posts stays). The question is asked past the policies: a record the actor may
     * not read still holds it, and the answer is only whether to destroy.
     */
    private Row destroyedUnlessHeld(Ashlar tx, BelongsTo relationship, Row replaced) {
        Object key = replaced.get(relationship.destinationAttribute());
        if (!tx.bypassPolicies().read(resource.name()).ignoreBaseFilter()
                .where(Filter.eq(relationship.attribute(), key)).exists()) {
            tx.destroy(replaced);
        }
        return replaced;
    }

    private RelatedInput input(Ashlar tx, DataLayer data, String action, Managed m) {
        return new RelatedInput(tx, resource, action, m.relationship(), data.resource(m.relationship().destination()),
                m.manage(), m.given());
    }
}
