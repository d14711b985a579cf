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
 * relationships loaded. A related record may give related records of its own, managed by a {@link Manage} of the path
 * ({@code "lines.details"}): its write is a nested write of the same kind, at any depth, in the same transaction.
 *
 * @param resource   the written resource
 * @param attributes the values that are no relationship's
 * @param managed    each relationship given in the values, with its management
 * @param path       the relationship path this record was given at, with a trailing dot ({@code "lines."}), or empty
 *                   for the record written
 */
record ManagedWrite(Resource resource, Map<String, Object> attributes, List<Managed> managed, String path) {

    /**
     * One relationship's records and how they are managed.
     *
     * @param inner the managements of the records' own related records, their paths relative to the relationship
     */
    record Managed(Relationship relationship, Manage manage, Object given, List<Manage> inner) {
    }

    /**
     * Splits the values into the record's own and the relationships' records.
     *
     * @throws QueryException for a management of no relationship, one given twice or of a relationship with no
     *                        attributes, one of a nested path whose relationships are not all managed, and for a
     *                        relationship in the values without a management
     */
    static ManagedWrite of(DataLayer data, String resourceName, Map<String, ?> values, List<Manage> manages) {
        return of(data, data.resource(resourceName), values, manages, "");
    }

    /** @param path the relationship path the record was given at, with a trailing dot, or empty */
    static ManagedWrite of(DataLayer data, Resource resource, Map<String, ?> values, List<Manage> manages,
                           String path) {
        QueryException.required(values, "values");
        Map<String, Manage> byName = managements(data, resource, manages, path);
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<Managed> managed = new ArrayList<>();
        values.forEach((field, value) -> {
            Optional<Relationship> relationship = resource.relationship(field);
            if (relationship.isEmpty()) {
                attributes.put(field, value);
            } else if (!byName.containsKey(field)) {
                throw QueryException.of(resource.name(), path + field, "The values of " + resource.name()
                        + " give '" + field + "', a relationship, without saying how to write it: pass "
                        + "Manage.relationship(\"" + path + field + "\") with create(), append(), appendAndRemove(), "
                        + "remove() or directControl()");
            } else {
                managed.add(new Managed(relationship.get(), byName.get(field), value, inner(manages, field)));
            }
        });
        return new ManagedWrite(resource, attributes, managed, path);
    }

    /**
     * Checks the managements against the resource's relationships at every depth, whether or not any record gives
     * them, so that a mistyped path is named even in a write of no records.
     *
     * @throws QueryException naming the path and the relationships there are
     */
    static void check(DataLayer data, Resource resource, List<Manage> manages) {
        managements(data, resource, manages, "");
    }

    /**
     * The managements of the resource's own relationships by name, each checked, and those of nested paths checked
     * against the records of the relationship they start with, at every depth, before anything is written.
     */
    private static Map<String, Manage> managements(DataLayer data, Resource resource, List<Manage> manages,
                                                   String path) {
        Map<String, Manage> byName = new LinkedHashMap<>();
        for (Manage manage : manages) {
            QueryException.required(manage, "manage");
            if (manage.relationship().contains(".")) {
                continue;
            }
            Relationship relationship = relationship(resource, manage.relationship(), path);
            if (relationship.noAttributes()) {
                throw QueryException.of(resource.name(), path + relationship.name(), "'" + path
                        + relationship.name() + "' of " + resource.name() + " has no attributes (related by its "
                        + "filter alone), so no write can link records to it: write them on their own");
            }
            refuseReadOnly(data, resource, relationship, manage);
            if (byName.put(manage.relationship(), manage) != null) {
                throw QueryException.of(resource.name(), path + manage.relationship(), "'" + path
                        + manage.relationship() + "' is managed twice in one write of " + resource.name()
                        + ": give one Manage for it");
            }
        }
        for (Manage manage : manages) {
            String first = manage.relationship().split("\\.", -1)[0];
            if (byName.containsKey(first) || !manage.relationship().contains(".")) {
                continue;
            }
            relationship(resource, first, path);
            throw QueryException.of(resource.name(), path + manage.relationship(), "Manage.relationship(\""
                    + path + manage.relationship() + "\") manages records given inside the records of '" + path
                    + first + "', which this write does not manage: add Manage.relationship(\"" + path + first
                    + "\") with create() or directControl()");
        }
        byName.forEach((name, manage) -> {
            List<Manage> inner = inner(manages, name);
            if (inner.isEmpty()) {
                return;
            }
            if (manage.type() != Manage.Type.CREATE && manage.type() != Manage.Type.DIRECT_CONTROL) {
                throw QueryException.of(resource.name(), path + name, "'" + path + name + "' is managed by "
                        + manage.type() + ", which takes records by key alone, so its records give no related "
                        + "records for " + inner.stream().map(m -> "Manage.relationship(\"" + path + name + "."
                        + m.relationship() + "\")").toList() + ": manage '" + path + name + "' with create() or "
                        + "directControl(), or write the nested records on their own");
            }
            Relationship relationship = resource.relationship(name).orElseThrow();
            managements(data, data.resource(relationship.destination()), inner, path + name + ".");
        });
        return byName;
    }

    /** The managements of paths inside the relationship's records, relative to them. */
    private static List<Manage> inner(List<Manage> manages, String relationship) {
        String prefix = relationship + ".";
        return manages.stream().filter(m -> m.relationship().startsWith(prefix))
                .map(m -> new Manage(m.relationship().substring(prefix.length()), m.type(), m.unlinksMissing()))
                .toList();
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

    private static Relationship relationship(Resource resource, String name, String path) {
        return resource.relationship(name).orElseThrow(() -> {
            List<String> names = resource.relationships().stream().map(Relationship::name).toList();
            return QueryException.of(resource.name(), path + name, "Resource '" + resource.name() + "' has no "
                    + "relationship '" + name + "'" + ClosestName.hint(name, names) + " to manage" + (path.isEmpty()
                    ? "" : " at '" + path + name + "'") + "; its relationships are " + names);
        });
    }

    /**
     * Writes the record ({@code stored} null: creates it) and the related records, in the handle's transaction;
     * returns it with every managed path loaded.
     */
    Row write(Ashlar handle, DataLayer data, Row stored, List<Manage> manages) {
        return handle.transaction(tx -> tx.load(writeIn(tx, data, stored),
                manages.stream().map(Manage::relationship).toArray(String[]::new)));
    }

    /** Writes the record and the related records on a handle already in the transaction; returns it as written. */
    Row writeIn(Ashlar tx, DataLayer data, Row stored) {
        Map<String, Object> values = new LinkedHashMap<>(attributes);
        List<Runnable> afterwards = parents(tx, data, stored, values);
        Row written = stored == null ? tx.create(resource.name(), values) : tx.update(stored, values);
        children(tx, data, stored == null ? "create" : "update", written);
        afterwards.forEach(Runnable::run);
        return written;
    }

    /**
     * Writes the belongs-to records first and puts their keys into {@code values}; returns the destroys of the
     * records a direct control replaced, to run once the record no longer points at them.
     *
     * @param stored the record as stored before the write, or null when it is created (or upserted)
     */
    List<Runnable> parents(Ashlar tx, DataLayer data, Row stored, Map<String, Object> values) {
        String action = stored == null ? "create" : "update";
        List<Runnable> afterwards = new ArrayList<>();
        for (Managed m : managed) {
            if (m.relationship() instanceof BelongsTo) {
                RelatedInput input = input(tx, data, action, m);
                ManagedParent.write(input, stored, values).ifPresent(replaced -> afterwards.add(() ->
                        input.within(input.name(), () -> destroyedUnlessHeld(tx, (BelongsTo) m.relationship(),
                                replaced))));
            }
        }
        return afterwards;
    }

    /** Writes the has-many, has-one and many-to-many records, which take the written record's key. */
    void children(Ashlar tx, DataLayer data, String action, Row written) {
        for (Managed m : managed) {
            if (m.relationship() instanceof ManyToMany) {
                ManagedLinks.write(input(tx, data, action, m), written);
            } else if (!(m.relationship() instanceof BelongsTo)) {
                ManagedChildren.write(input(tx, data, action, m), written);
            }
        }
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

    RelatedInput input(Ashlar tx, DataLayer data, String action, Managed m) {
        return new RelatedInput(tx, data, resource, action, m, data.resource(m.relationship().destination()), path);
    }
}
