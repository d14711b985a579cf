package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Discriminator;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.data.Upsert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One kind of record in a table several kinds share ({@code discriminator(attribute, value)}, Hibernate's
 * single-table inheritance): its reads and writes are confined to the rows of its kind, whatever else lifts the base
 * filter, and the records it creates take the kind, so no action of one kind reaches, moves or makes a row of another.
 */
final class Discriminated {
    private Discriminated() {
    }

    /** The query confined to the resource's kind; as asked for a resource that shares no table so. */
    static Query scoped(Resource resource, Query query) {
        Discriminator kind = resource.tableOptions().discriminator();
        return kind == null ? query : query.and(Filter.eq(kind.attribute(), kind.value()));
    }

    /**
     * The upsert overwriting, on a conflict, a stored record of the resource's kind only: a record of another kind
     * holding the identity is kept as it is and left out of the rows returned, as a failed {@code where} leaves it.
     */
    static Upsert confined(Resource resource, Upsert upsert) {
        Discriminator kind = resource.tableOptions().discriminator();
        if (kind == null || upsert == null || upsert.keepStored()) {
            return upsert;
        }
        refuseChange(resource, upsert.changes());
        Filter ofKind = Filter.eq(kind.attribute(), kind.value());
        return upsert.where(upsert.condition() == null ? ofKind : Filter.and(upsert.condition(), ofKind));
    }

    /**
     * The records, each given the resource's kind.
     *
     * @throws InvalidDataException on the attribute, for a record giving another kind
     */
    static List<? extends Map<String, ?>> stamped(Resource resource, List<? extends Map<String, ?>> records,
                                                 String action) {
        Discriminator kind = resource.tableOptions().discriminator();
        if (kind == null) {
            return records;
        }
        List<Map<String, ?>> stamped = new ArrayList<>(records.size());
        for (Map<String, ?> record : records) {
            if (record.get(kind.attribute()) != null && !sameKind(kind, record.get(kind.attribute()))) {
                throw new InvalidDataException(resource.name(), action, List.of(new FieldError(kind.attribute(),
                        "is " + kind.value() + " for every " + resource.name() + ", not " + record.get(kind.attribute())
                                + ": leave it out, or write the record as the resource of that kind")), null, null);
            }
            Map<String, Object> given = new LinkedHashMap<>(record);
            given.put(kind.attribute(), kind.value());
            stamped.add(given);
        }
        return stamped;
    }

    /**
     * @throws QueryException naming the attribute, for an update that would move records to another kind
     */
    static void refuseChange(Resource resource, Map<String, ?> changes) {
        Discriminator kind = resource.tableOptions().discriminator();
        if (kind != null && changes.containsKey(kind.attribute()) && !sameKind(kind, changes.get(kind.attribute()))) {
            throw QueryException.of(resource.name(), kind.attribute(), "An update of " + resource.name() + " sets '"
                    + kind.attribute() + "', which holds the kind of every " + resource.name() + " ("
                    + kind.value() + "): leave it out of the changes; a record changes kind by being destroyed here "
                    + "and created as the other kind");
        }
    }

    private static boolean sameKind(Discriminator kind, Object given) {
        return Objects.equals(String.valueOf(kind.value()), String.valueOf(given));
    }
}
