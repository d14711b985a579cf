package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Extending;
import dev.ashlar.api.resource.HasMany;
import dev.ashlar.api.resource.ManyToMany;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.data.Load;
import dev.ashlar.kernel.data.Manage;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.kernel.data.internal.DataLayer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Many records created or upserted with their related records. Created, level by level: when every management creates, all the records
 * of one relationship at one depth, whichever record gave them, go in one {@code createAll} (belongs-to records
 * before the records that hold their keys, has-many, has-one and many-to-many records after, then the join records),
 * so 1,000 orders with 3 lines each take one statement for the orders and one for the lines. Any other management
 * (which reads each record's related records) writes record by record; so does a failure, to name the record's place
 * ({@code lines[2].qty ... (record 42 of 1000)}) — the level-by-level attempt is rolled back to the savepoint before
 * it. Upserted: record by record, each one's related records written as for an update of the record stored (inserted
 * or updated) once its key is known (Ash's {@code bulk_upsert_managed_relationship}).
 */
final class ManagedWriteAll {
    /** The records of one resource to create at one level, each with the values that are no relationship's. */
    private record Level(Resource resource, List<ManagedWrite> writes) {
    }

    private final Ashlar tx;
    private final DataLayer data;
    /** The rows created at each relationship path, by the path ({@code "lines.details."}; the records' own: {@code ""}). */
    private final Map<String, List<Row>> createdAt = new LinkedHashMap<>();

    private ManagedWriteAll(Ashlar tx, DataLayer data) {
        this.tx = tx;
        this.data = data;
    }

    /** Creates the records and their related records in one transaction; returns them with the managed paths loaded. */
    static List<Row> create(Ashlar handle, DataLayer data, String resource, List<? extends Map<String, ?>> records,
                            List<Manage> manages) {
        return create(handle, data, resource, records, manages, false);
    }

    /**
     * {@link #create} of some records of a {@link dev.ashlar.kernel.data.Bulk} write: a record's refused data fails
     * the level-by-level attempt at once, without writing the records one by one to name it, since the bulk write
     * writes a failed batch again by halves, down to each failed record alone, which names its place.
     */
    static List<Row> createBatch(Ashlar handle, DataLayer data, String resource,
                                 List<? extends Map<String, ?>> records, List<Manage> manages) {
        return create(handle, data, resource, records, manages, records.size() > 1);
    }

    /** @param batch whether the records are a batch of a bulk write (see {@link #createBatch}) */
    private static List<Row> create(Ashlar handle, DataLayer data, String resource,
                                    List<? extends Map<String, ?>> records, List<Manage> manages, boolean batch) {
        Resource created = data.resource(resource);
        ManagedWrite.check(data, created, manages);
        String[] paths = manages.stream().map(Manage::relationship).toArray(String[]::new);
        return handle.transaction(tx -> {
            List<ManagedWrite> writes = records.stream().map(record -> ManagedWrite.of(data, created, record, manages,
                    "")).toList();
            Optional<List<Row>> rows = levelByLevel(manages)
                    ? levelByLevel(tx, data, new Level(created, writes), paths, batch) : Optional.empty();
            return rows.orElseGet(() -> tx.load(oneByOne(tx, data, resource, writes), paths));
        });
    }

    /** Whether a create with these managements writes level by level (every one creates) rather than record by record. */
    static boolean levelByLevel(List<Manage> manages) {
        return manages.stream().allMatch(m -> m.type() == Manage.Type.CREATE);
    }

    /**
     * The loads of the paths, each level kept to the records of its resource (or of one extending it) just created, at
     * any path, by their keys (a line created under {@code gift_lines} is one of the order's {@code lines} too, and a
     * dog created under {@code dogs} one of its {@code animals}). The records are new, so the
     * relationship's records are those created with them (bar those a trigger or hook inserts); without the keys a load of {@code lines} would find them
     * by {@code order_id = ANY(...)}, which reads the whole table where no index holds the parent key, so that each
     * {@code createAll} took longer as the table grew. By key it reads the primary key's index (a many-to-many still
     * finds its join records by their source key, which a join resource keyed by both keys has an index of).
     */
    private List<Load> loadsOfCreated(Resource resource, String... paths) {
        List<Load> loads = new ArrayList<>();
        for (String path : paths) {
            loads = Load.merge(loads, createdAt(resource, "", path));
        }
        return loads;
    }

    /** The load of the path's first relationship from the resource, and of the rest of the path within it. */
    private Load createdAt(Resource resource, String prefix, String path) {
        int dot = path.indexOf('.');
        String name = dot < 0 ? path : path.substring(0, dot);
        String at = prefix + name + ".";
        Relationship relationship = resource.relationship(name).orElseThrow();   // checked before anything is written
        Resource destination = data.resource(relationship.destination());
        List<Load> nested = dot < 0 ? List.of() : List.of(createdAt(destination, at, path.substring(dot + 1)));
        // The first field of the key is enough (with the relationship's own condition) for its index to find them.
        String key = destination.primaryKey().isEmpty() || !onlyCreated(resource, relationship) ? null
                : destination.primaryKey().get(0).name();
        Filter created = key == null ? null : DataLayer.keyIn(key, createdAt.values().stream().flatMap(List::stream)
                .filter(row -> isA(data.resource(row.resource()), destination.name())).map(row -> row.get(key))
                .distinct().toList());
        return new Load(name, created, List.of(), null, nested);
    }

    /**
     * Whether the resource's records are records of the named one too: it is that resource, or extends it at any depth
     * (a read of {@code animal} finds the dogs created under another path, by the key they share with it).
     */
    private static boolean isA(Resource resource, String name) {
        Extending extending = resource.tableOptions().extending();
        return resource.name().equals(name)
                || extending != null && extending.ancestors().stream().anyMatch(a -> a.parent().equals(name));
    }

    /**
     * Whether the related records of a record just created are only those created with it, so that the load may keep
     * to them with its limit and sort per parent unchanged: a has-many, has-one or many-to-many from the source's own
     * primary key, new. From any other attribute (a has-many by {@code customer_id}) the stored records holding the
     * same value are related too, and a belongs-to is read by the parent's key already.
     */
    private static boolean onlyCreated(Resource source, Relationship relationship) {
        List<Attribute> key = source.primaryKey();
        return !(relationship instanceof BelongsTo) && key.size() == 1
                && key.get(0).name().equals(relationship.sourceAttribute());
    }

    /**
     * The records created level by level in a savepoint, with the managed paths loaded, or empty when that failed and
     * was rolled back.
     *
     * @param batch whether a record's refused data is thrown as it is, for a bulk write to write the batch again
     */
    private static Optional<List<Row>> levelByLevel(Ashlar tx, DataLayer data, Level level, String[] paths,
                                                    boolean batch) {
        try {
            return Optional.of(tx.transaction(inner -> {
                ManagedWriteAll levels = new ManagedWriteAll(inner, data);
                List<Row> rows = levels.created(level);
                return inner.load(rows, levels.loadsOfCreated(level.resource(), paths));
            }));
        } catch (InvalidDataException e) {
            if (batch) {
                throw e;
            }
            return Optional.empty();
        } catch (AshlarException e) {
            return Optional.empty();   // written again one by one, to name the failed record's place
        }
    }

    private static List<Row> oneByOne(Ashlar tx, DataLayer data, String resource, List<ManagedWrite> writes) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            int index = i;
            rows.add(placed(resource, index, writes.size(), () -> writes.get(index).writeIn(tx, data, null)));
        }
        return rows;
    }

    /**
     * Upserts the records, then writes each one's related records as for an update of the record as stored; returns
     * them with the managed paths loaded. Belongs-to records are written first, as for a create.
     *
     * @throws QueryException for an upsert that does not return every record ({@code doNothing()} or {@code where}
     *                        without {@code returnSkipped()}): a record left out could not take its related records;
     *                        and for a direct control or a remove of a belongs-to
     */
    static List<Row> upsert(Ashlar handle, DataLayer data, String resource, List<? extends Map<String, ?>> records,
                            Upsert upsert, List<Manage> manages) {
        Resource upserted = refusedUpsert(data, resource, upsert, manages);
        String[] paths = manages.stream().map(Manage::relationship).toArray(String[]::new);
        return handle.transaction(tx -> {
            List<ManagedWrite> writes = records.stream().map(record -> ManagedWrite.of(data, upserted, record,
                    manages, "")).toList();
            List<Row> rows = new ArrayList<>();
            List<Runnable> afterwards = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                ManagedWrite write = writes.get(i);
                // Each record is upserted on its own: a list's upsert returns the stored records it kept after the
                // ones it wrote, and leaves out those a policy keeps, so its rows cannot be matched to the records.
                rows.add(placed(resource, i, writes.size(), () -> {
                    Map<String, Object> own = new LinkedHashMap<>(write.attributes());
                    afterwards.addAll(write.parents(tx, data, null, own));
                    Row row = tx.upsert(resource, own, upsert);
                    write.children(tx, data, "upsert", row);
                    return row;
                }));
            }
            afterwards.forEach(Runnable::run);
            return tx.load(rows, paths);
        });
    }

    /**
     * The upserted resource, once the upsert and its managements are checked (before anything is written).
     *
     * @throws QueryException as {@link #upsert} says
     */
    static Resource refusedUpsert(DataLayer data, String resource, Upsert upsert, List<Manage> manages) {
        QueryException.required(upsert, "upsert");
        if ((upsert.keepStored() || upsert.condition() != null) && !upsert.returnsSkipped()) {
            throw QueryException.of(resource, null, "An upsert of " + resource + " with related records must return "
                    + "every record, to write each one's related records: add .returnSkipped() to the Upsert, whose "
                    + (upsert.keepStored() ? "doNothing()" : "where(...)") + " leaves out the records it keeps");
        }
        Resource upserted = data.resource(resource);
        ManagedWrite.check(data, upserted, manages);
        refuseParentsOfStored(upserted, manages);
        return upserted;
    }

    /**
     * Refuses a direct control or a remove of a belongs-to in an upsert: its parent is written before the upsert, when
     * the stored record, and so the parent it holds, is not known, so a replaced parent could not be destroyed nor a
     * held one found.
     */
    private static void refuseParentsOfStored(Resource upserted, List<Manage> manages) {
        for (Manage manage : manages) {
            boolean parent = upserted.relationship(manage.relationship()).filter(BelongsTo.class::isInstance)
                    .isPresent();
            if (parent && (manage.type() == Manage.Type.DIRECT_CONTROL || manage.type() == Manage.Type.REMOVE)) {
                throw QueryException.of(upserted.name(), manage.relationship(), "An upsert of " + upserted.name()
                        + " cannot manage its belongs-to '" + manage.relationship() + "' with " + manage.type()
                        + ": the parent is written before the upsert, which does not know the parent a stored record "
                        + "holds. Use create(), append() or appendAndRemove(), or update the stored record with "
                        + "Manage.relationship(\"" + manage.relationship() + "\")." + (manage.type()
                        == Manage.Type.REMOVE ? "remove()" : "directControl()"));
            }
        }
    }

    /** Runs the write of the record at {@code index} of the list, naming its position in its errors. */
    static <T> T placed(String resource, int index, int count, Supplier<T> write) {
        if (count == 1) {
            return write.get();
        }
        String which = " (record " + (index + 1) + " of " + count + ")";
        try {
            return write.get();
        } catch (InvalidDataException e) {
            throw new InvalidDataException(e.resource().orElse(resource), e.action(), e.errors().stream()
                    .map(error -> error.withMessage(error.message() + which)).toList(), e.sqlState().orElse(null), e);
        } catch (NotFoundException e) {
            throw NotFoundException.of(e.resource().orElse(resource), e.getMessage() + which);
        } catch (QueryException e) {
            throw QueryException.of(e.resource().orElse(resource), e.field().orElse(null), e.getMessage() + which, e);
        }
    }

    private List<Row> created(Level level) {
        List<Map<String, Object>> values = new ArrayList<>();
        level.writes().forEach(write -> values.add(new LinkedHashMap<>(write.attributes())));
        for (Relationship relationship : relationships(level, true)) {
            BelongsTo belongsTo = (BelongsTo) relationship;
            List<Integer> holders = new ArrayList<>();
            List<Row> parents = created(related(level, relationship, holders, (write, record) -> { }));
            for (int i = 0; i < holders.size(); i++) {
                values.get(holders.get(i)).put(belongsTo.attribute(), parents.get(i).get(
                        belongsTo.destinationAttribute()));
            }
        }
        List<Row> rows = tx.createAll(level.resource().name(), values);
        if (!level.writes().isEmpty()) {
            createdAt.computeIfAbsent(level.writes().get(0).path(), at -> new ArrayList<>()).addAll(rows);
        }
        for (Relationship relationship : relationships(level, false)) {
            List<Integer> sources = new ArrayList<>();
            if (relationship instanceof ManyToMany manyToMany) {
                List<Row> destinations = created(related(level, relationship, sources, (write, record) -> { }));
                List<Map<String, Object>> joins = new ArrayList<>();
                for (int i = 0; i < sources.size(); i++) {
                    joins.add(Map.of(manyToMany.sourceAttributeOnJoin(), key(rows.get(sources.get(i)), relationship),
                            manyToMany.destinationAttributeOnJoin(),
                            destinations.get(i).get(manyToMany.destinationAttribute())));
                }
                tx.createAll(manyToMany.through(), joins);
            } else {
                String order = relationship instanceof HasMany many ? many.orderAttribute() : null;
                created(related(level, relationship, sources, (source, record) -> {
                    record.put(relationship.destinationAttribute(), key(rows.get(source.index()), relationship));
                    if (order != null) {
                        record.put(order, source.position());
                    }
                }));
            }
        }
        return rows;
    }

    /** Where a related record was given: the index of the record that gave it, and its position in the list. */
    private record Source(int index, int position) {
    }

    /** Completes a related record with what it takes from the record that gave it. */
    @FunctionalInterface
    private interface Completion {
        void complete(Source source, Map<String, Object> record);
    }

    /**
     * The records given under the relationship by every record of the level, as one level of the destination; {@code
     * sources} gets, for each, the index of the record that gave it.
     */
    private Level related(Level level, Relationship relationship, List<Integer> sources, Completion completion) {
        Resource destination = data.resource(relationship.destination());
        List<ManagedWrite> writes = new ArrayList<>();
        for (int i = 0; i < level.writes().size(); i++) {
            ManagedWrite write = level.writes().get(i);
            for (ManagedWrite.Managed m : write.managed()) {
                if (!m.relationship().name().equals(relationship.name())) {
                    continue;
                }
                RelatedInput input = write.input(tx, data, "create", m);
                List<Object> items = input.items();
                for (int position = 0; position < items.size(); position++) {
                    Map<String, Object> record = input.record(position, items.get(position));
                    if (record.containsKey(relationship.destinationAttribute())
                            && !(relationship instanceof BelongsTo || relationship instanceof ManyToMany)) {
                        throw input.refused(input.path(position), "gives its parent's key: written record by record");
                    }
                    completion.complete(new Source(i, position), record);
                    writes.add(ManagedWrite.of(data, destination, record, m.inner(), write.path()
                            + relationship.name() + "."));
                    sources.add(i);
                }
            }
        }
        return new Level(destination, writes);
    }

    /** The level's relationships managed by any of its records: the belongs-to ones, or the others. */
    private static List<Relationship> relationships(Level level, boolean belongsTo) {
        Map<String, Relationship> found = new LinkedHashMap<>();
        level.writes().forEach(write -> write.managed().stream().map(ManagedWrite.Managed::relationship)
                .filter(r -> r instanceof BelongsTo == belongsTo).forEach(r -> found.putIfAbsent(r.name(), r)));
        return List.copyOf(found.values());
    }

    /** The key a related record holds of its source; null (a source attribute not filled in) is written one by one. */
    private static Object key(Row source, Relationship relationship) {
        Object key = source.get(relationship.sourceAttribute());
        if (key == null) {
            throw QueryException.of(source.resource(), relationship.name(), "'"
                    + relationship.sourceAttribute() + "' is null: written record by record");
        }
        return key;
    }
}
