package dev.ashlar.kernel;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.HasOne;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.data.Manage;
import dev.ashlar.kernel.data.internal.DataLayer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The records a nested write was given under one relationship's name, with what it manages them by: the handle of the
 * write's transaction, the relationship and its destination. Every related write goes through that handle, so the
 * destination's tenant scope, base filter, soft delete, versions, authorship and write listeners hold as for a write
 * of its own; a failure of one names the relationship, the record's place and the field ({@code comments[2].body}).
 * A record given may give related records of its own: its write is then a nested {@link ManagedWrite}, whose
 * failures name the place from here down ({@code lines[1].details[0].qty}).
 *
 * @param path the relationship path the source record was given at, with a trailing dot, or empty
 */
record RelatedInput(Ashlar tx, DataLayer data, Resource source, String action, ManagedWrite.Managed managed,
                    Resource destination, String path) {

    Relationship relationship() {
        return managed.relationship();
    }

    Manage manage() {
        return managed.manage();
    }

    Object given() {
        return managed.given();
    }

    String name() {
        return relationship().name();
    }

    private boolean toOne() {
        return relationship() instanceof BelongsTo || relationship() instanceof HasOne;
    }

    /** The records given: a list for a relationship of many, one record (or none, for null) for one of one. */
    List<Object> items() {
        if (toOne()) {
            if (given() instanceof Collection<?>) {
                throw refused(name(), "is a relationship of one record: give one record (a map) or key, not a list");
            }
            List<Object> one = new ArrayList<>();
            if (given() != null) {
                one.add(given());
            }
            return one;
        }
        if (!(given() instanceof Collection<?> many)) {
            throw refused(name(), "is a relationship of many records: give a list of records (maps) or keys, got "
                    + (given() == null ? "null" : given().getClass().getSimpleName()));
        }
        return new ArrayList<>(many);
    }

    /** Where a given record stands: {@code comments[2]}, or {@code author} for a relationship of one. */
    String path(int index) {
        return toOne() ? name() : name() + "[" + index + "]";
    }

    /** The given record at {@code index} as a map of the destination's fields. */
    Map<String, Object> record(int index, Object item) {
        if (!(item instanceof Map<?, ?> map)) {
            throw refused(path(index), "must be a record (a map of " + destination.name() + "'s fields) for "
                    + manage().type() + ", got " + item);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        map.forEach((field, value) -> record.put(String.valueOf(field), value));
        return record;
    }

    /** The destination's primary key attributes, which records are linked and matched by: one, or several. */
    List<String> keyFields() {
        List<Attribute> key = destination.primaryKey();
        if (key.isEmpty()) {
            throw refused(name(), "links records by their primary key, and " + destination.name() + " has none: "
                    + "manage it with create() alone, or write the records on their own");
        }
        return key.stream().map(Attribute::name).toList();
    }

    /**
     * The key of the record at {@code index}: the item itself or a map holding the key field alone, or for a key of
     * several fields a map holding each of them alone.
     */
    Object key(int index, Object item) {
        List<String> fields = keyFields();
        if (!(item instanceof Map<?, ?>)) {
            if (item == null) {
                throw refused(path(index), "is null: give the key of a " + destination.name());
            }
            if (fields.size() > 1) {
                throw refused(path(index), manage().type() + " names records by key, and " + destination.name()
                        + " is keyed by several fields: give a map of " + fields + " alone, got " + item);
            }
            return item;
        }
        Map<String, Object> record = record(index, item);
        List<String> missing = fields.stream().filter(field -> record.get(field) == null).toList();
        if (!missing.isEmpty() || record.size() != fields.size()) {
            throw refused(path(index), manage().type() + " names records by key: give " + (fields.size() == 1
                    ? "the key or a map of '" + fields.get(0) + "' alone" : "a map of " + fields + " alone")
                    + (missing.isEmpty() ? "" : " (" + missing + " missing)") + " (to change a record's fields too, "
                    + "use directControl()), got " + record);
        }
        return keyOf(record::get);
    }

    /**
     * The key the fields hold: the value of the one key field, or a map of the key fields for a key of several, or
     * null when any of them is missing.
     */
    Object keyOf(Function<String, Object> fields) {
        List<String> names = keyFields();
        Map<String, Object> key = new LinkedHashMap<>();
        for (String name : names) {
            Object value = fields.apply(name);
            if (value == null) {
                return null;
            }
            key.put(name, value);
        }
        return names.size() == 1 ? key.get(names.get(0)) : key;
    }

    /** Whether two records of the destination are the same record, by every key field. */
    boolean sameRecord(Row a, Row b) {
        return sameKey(keyOf(a::get), keyOf(b::get));
    }

    /**
     * The record given for a direct control: updates the related record its key names, when it gives every key
     * field (the key fields taken out of its changes), and otherwise creates it, as {@code create}. A key of several
     * fields is mostly a natural one, given with a new record, so one no related record has is created (Hibernate's
     * merge of an assigned key); a single key no related record has is not found.
     */
    Row controlled(int index, Map<String, Object> record, List<Row> related, Supplier<Row> create,
                   Consumer<Map<String, Object>> changes) {
        Object key = keyOf(record::get);
        if (key == null || keyFields().size() > 1 && related.stream().noneMatch(row -> sameKey(keyOf(row::get),
                key))) {
            return create.get();
        }
        Row current = among(related, index, key, "update");
        record.keySet().removeAll(keyFields());
        changes.accept(record);
        return at(index, () -> update(current, record));
    }

    /** Creates a record given, writing the related records it gives as their managements say. */
    Row create(Map<String, Object> record) {
        return written(record, null);
    }

    /** Updates a related record with the changes given, writing the related records they give. */
    Row update(Row current, Map<String, Object> changes) {
        return written(changes, current);
    }

    private Row written(Map<String, Object> values, Row stored) {
        ManagedWrite nested = ManagedWrite.of(data, destination, values, managed.inner(), path + name() + ".");
        if (nested.managed().isEmpty()) {
            return stored == null ? tx.create(destination.name(), values) : tx.update(stored, values);
        }
        return nested.writeIn(tx, data, stored);
    }

    /** The destination record of that key, in the handle's tenant and under the base filter. */
    Row existing(int index, Object key, String verb) {
        return at(index, () -> tx.find(destination.name(), key)).orElseThrow(() -> notFound(index, verb, key, ""));
    }

    /** The related record of that key among {@code related}, or a not-found naming the place it was given at. */
    Row among(List<Row> related, int index, Object key, String verb) {
        return related.stream().filter(row -> sameKey(keyOf(row::get), key)).findFirst().orElseThrow(() ->
                notFound(index, verb, key, " related to this " + source.name()));
    }

    NotFoundException notFound(int index, String verb, Object key, String where) {
        return NotFoundException.of(source.name(), "Cannot " + verb + " " + source.name() + "." + path(index)
                + ": no " + destination.name() + " with key " + key + where + " (in this handle's tenant, and not "
                + "hidden by its base filter)");
    }

    /** Runs a write of the record given at {@code index}, naming that place in its errors. */
    <T> T at(int index, Supplier<T> write) {
        return within(path(index), write);
    }

    /** Runs a write of related records, naming {@code place} in its errors. */
    <T> T within(String place, Supplier<T> write) {
        try {
            return write.get();
        } catch (InvalidDataException e) {
            List<FieldError> errors = e.errors().stream().map(error -> new FieldError(error.field() == null ? place
                    : place + "." + error.field(), error.message(), error.column(), error.constraint(),
                    error.details())).toList();
            throw new InvalidDataException(source.name(), action, errors, e.sqlState().orElse(null), e);
        } catch (NotFoundException e) {
            throw NotFoundException.of(source.name(), "Cannot " + action + " " + source.name() + "." + place + ": "
                    + e.getMessage());
        } catch (QueryException e) {
            throw QueryException.of(source.name(), place, "Cannot " + action + " " + source.name() + "." + place
                    + ": " + e.getMessage(), e);
        }
    }

    QueryException refused(String place, String problem) {
        return QueryException.of(source.name(), place, "Cannot " + action + " " + source.name() + " managing '"
                + name() + "' (" + manage().type() + "): " + place + " " + problem);
    }

    /**
     * Whether two key values are the same key, whatever their number types ({@code 7} and {@code 7L}); maps of key
     * fields when they hold the same fields with the same values.
     */
    static boolean sameKey(Object a, Object b) {
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.keySet().equals(y.keySet()) && x.keySet().stream().allMatch(k -> sameKey(x.get(k), y.get(k)));
        }
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return a != null && b != null && a.toString().equals(b.toString());
    }
}
